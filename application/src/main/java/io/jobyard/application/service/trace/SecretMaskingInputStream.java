package io.jobyard.application.service.trace;

import io.jobyard.application.stream.SingleByte;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replaces every occurrence of the given secrets in a byte stream with as many {@code x} bytes, as GitLab's
 * {@code MaskSecret} does. The replacement keeps the length, which the runner's offset bookkeeping relies on.
 *
 * <p>It works on a stream, never on the whole: it holds back at most (longest secret − 1) bytes it cannot decide
 * about yet, so an occurrence split across any two reads of the underlying stream is still found.
 *
 * <p>A {@link Secret} whose first bytes are public (a job token's {@code glcbt-}) is masked at the very end of the
 * stream too when the stream ends part-way through it, once the part holds more than the public bytes: a log append
 * that ends in the middle of the job token stores no readable piece of it. The next append's
 * {@link #continuing(byte[], InputStream, List) continuation} recognises the masked piece and masks the rest.
 */
public final class SecretMaskingInputStream extends InputStream {
    private static final int CHUNK = 16 * 1024;
    private static final byte MASK = 'x';

    /**
     * A value to mask, of which the first {@code publicPrefix} characters tell nothing (GitLab's token prefixes):
     * where a stream ends part-way through the value, that part is masked once it is longer than the public prefix.
     * A prefix as long as the value (or longer) means only complete occurrences are masked.
     */
    public record Secret(String value, int publicPrefix) {
        public Secret {
            Objects.requireNonNull(value, "value");
            if (publicPrefix < 0) {
                throw new IllegalArgumentException("the public prefix must not be negative");
            }
        }

        /** A secret of which only complete occurrences are masked. */
        public static Secret whole(String value) {
            return new Secret(value, value.length());
        }

        byte[] bytes() {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        /** How many bytes a part at the end of a stream must have to be masked; 0 when none is. */
        int minimumTrailingPart() {
            int publicBytes = value.substring(0, Math.min(publicPrefix, value.length()))
                    .getBytes(StandardCharsets.UTF_8).length;
            return publicBytes + 1 < bytes().length ? publicBytes + 1 : 0;
        }
    }

    private final InputStream in;
    private final byte[][] secrets;
    /** Per secret: the shortest part at the end of the stream that is masked, or 0 for none. */
    private final int[] trailingParts;
    private final int longest;
    private final byte[] buffer;
    /** Whether some secret begins with the byte: most positions of a log are ruled out by this one lookup. */
    private final boolean[] firstBytes = new boolean[256];
    /** Bytes before {@code start} were handed out; [start, checked) are final; [checked, end) still undecided. */
    private int start;
    private int checked;
    private int end;
    private boolean eof;

    public SecretMaskingInputStream(InputStream in, Collection<String> secrets) {
        this(secrets.stream().filter(Objects::nonNull).map(Secret::whole).toList(), in);
    }

    /** Masks {@code secrets}, and their parts at the very end of the stream as each {@link Secret} says. */
    public static SecretMaskingInputStream of(InputStream in, List<Secret> secrets) {
        return new SecretMaskingInputStream(secrets, in);
    }

    private SecretMaskingInputStream(List<Secret> secrets, InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
        Map<String, Secret> distinct = new LinkedHashMap<>();
        for (Secret secret : secrets) {
            if (!secret.value().isEmpty()) {
                distinct.merge(secret.value(), secret,
                        (a, b) -> a.publicPrefix() <= b.publicPrefix() ? a : b);
            }
        }
        List<Secret> ordered = distinct.values().stream()
                .sorted(Comparator.comparingInt((Secret s) -> s.bytes().length).reversed())
                .toList();
        this.secrets = ordered.stream().map(Secret::bytes).toArray(byte[][]::new);
        this.trailingParts = ordered.stream().mapToInt(Secret::minimumTrailingPart).toArray();
        this.longest = this.secrets.length == 0 ? 0 : this.secrets[0].length;
        for (byte[] secret : this.secrets) {
            firstBytes[secret[0] & 0xFF] = true;
        }
        this.buffer = new byte[CHUNK + 2 * longest];
    }

    /**
     * Masks {@code body}, which is to follow {@code precedingBytes} (the end of what is already stored), and yields
     * the body only. An occurrence that begins in the preceding bytes and ends in the body is masked in its body
     * part; the preceding bytes themselves are not re-emitted.
     */
    public static InputStream continuing(byte[] precedingBytes, InputStream body, Collection<String> secrets) {
        return continuing(precedingBytes, body, secrets.stream().filter(Objects::nonNull).map(Secret::whole).toList());
    }

    /**
     * {@link #continuing(byte[], InputStream, Collection)} for secrets with public prefixes: a part of one at the end of
     * the body is masked (it must not be readable until the next append), and a body that goes on with a secret whose
     * start the preceding bytes hold — as this method leaves it, the public prefix kept and the rest masked — has the
     * rest masked from its first byte, however the secret was cut into appends.
     *
     * @param precedingBytes at least (longest secret − 1) bytes of what is stored before the body, or all of it
     */
    public static InputStream continuing(byte[] precedingBytes, InputStream body, List<Secret> secrets) {
        int longest = secrets.stream().mapToInt(s -> s.bytes().length).max().orElse(0);
        byte[] head;
        try {
            head = body.readNBytes(Math.max(0, longest - 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Secret secret : secrets) {
            if (secret.minimumTrailingPart() > 0) {
                maskContinuation(precedingBytes, head, secret.bytes(), secret.minimumTrailingPart() - 1);
            }
        }
        SecretMaskingInputStream masked = new SecretMaskingInputStream(secrets, new SequenceInputStream(
                new ByteArrayInputStream(precedingBytes),
                new SequenceInputStream(new ByteArrayInputStream(head), body)));
        try {
            masked.skipNBytes(precedingBytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return masked;
    }

    /**
     * Masks the start of {@code head} when it goes on with {@code secret} begun in {@code preceding}: the last k
     * preceding bytes are the secret's first k, each kept or masked, for some k past the public bytes, and the head
     * begins with the secret's next bytes (all of the rest, or as many as the head has).
     */
    private static void maskContinuation(byte[] preceding, byte[] head, byte[] secret, int publicBytes) {
        int masked = 0;
        for (int k = publicBytes + 1; k < secret.length && k <= preceding.length; k++) {
            boolean started = true;
            for (int i = 0; i < k && started; i++) {
                byte stored = preceding[preceding.length - k + i];
                started = stored == MASK || stored == secret[i];
            }
            int rest = Math.min(secret.length - k, head.length);
            if (started && rest > 0 && Arrays.equals(head, 0, rest, secret, k, k + rest)) {
                masked = Math.max(masked, rest);
            }
        }
        Arrays.fill(head, 0, masked, MASK);
    }

    /**
     * The secrets plus the form a split occurrence takes after append-time masking: an append that completes a secret
     * begun by the previous append masks only its own part, leaving {@code secret[0..k) + "x" * (length - k)} in the
     * log. Masking these forms over the whole log (when archiving) masks such an occurrence completely.
     */
    public static List<String> withSplitForms(Collection<String> secrets) {
        List<String> forms = new ArrayList<>();
        for (String secret : secrets) {
            if (secret == null || secret.isEmpty()) {
                continue;
            }
            forms.add(secret);
            int[] codePoints = secret.codePoints().toArray();
            for (int k = 1; k < codePoints.length; k++) {
                String prefix = new String(codePoints, 0, k);
                int maskedBytes = secret.getBytes(StandardCharsets.UTF_8).length
                        - prefix.getBytes(StandardCharsets.UTF_8).length;
                forms.add(prefix + "x".repeat(maskedBytes));
            }
        }
        return forms;
    }

    /** The length of the longest secret: how far back an append must look to catch a split occurrence. */
    public int longestSecret() {
        return longest;
    }

    @Override
    public int read() throws IOException {
        return SingleByte.read(this);
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        while (checked == start) {
            if (eof && start == end) {
                return -1;
            }
            fillAndScan();
        }
        int n = Math.min(length, checked - start);
        System.arraycopy(buffer, start, target, offset, n);
        start += n;
        return n;
    }

    private void fillAndScan() throws IOException {
        if (!eof) {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                checked -= start;
                end -= start;
                start = 0;
            }
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                eof = true;
            } else {
                end += read;
            }
        }
        scan();
    }

    private void scan() {
        int i = checked;
        while (i < end) {
            if (!eof && i + longest > end) {
                break; // an occurrence starting here could still end in bytes not read yet
            }
            int masked = maskAt(i);
            i += Math.max(masked, 1);
        }
        checked = i;
    }

    private int maskAt(int position) {
        if (!firstBytes[buffer[position] & 0xFF]) {
            return 0;
        }
        for (int s = 0; s < secrets.length; s++) {
            byte[] secret = secrets[s];
            if (position + secret.length <= end) {
                if (matches(secret, position, secret.length)) {
                    Arrays.fill(buffer, position, position + secret.length, MASK);
                    return secret.length;
                }
            } else if (eof && trailingParts[s] > 0 && end - position >= trailingParts[s]
                    && matches(secret, position, end - position)) {
                // The stream ends part-way through the secret, past its public bytes: that part is masked too.
                Arrays.fill(buffer, position, end, MASK);
                return end - position;
            }
        }
        return 0;
    }

    private boolean matches(byte[] secret, int position, int count) {
        for (int k = 0; k < count; k++) {
            if (buffer[position + k] != secret[k]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
