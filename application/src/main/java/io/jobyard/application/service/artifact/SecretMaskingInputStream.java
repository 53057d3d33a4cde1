package io.jobyard.application.service.artifact;

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
import java.util.List;
import java.util.Objects;

/**
 * Replaces every occurrence of the given secrets in a byte stream with as many {@code x} bytes, as GitLab's
 * {@code MaskSecret} does. The replacement keeps the length, which the runner's offset bookkeeping relies on.
 *
 * <p>It works on a stream, never on the whole: it holds back at most (longest secret − 1) bytes it cannot decide
 * about yet, so an occurrence split across any two reads of the underlying stream is still found.
 */
public final class SecretMaskingInputStream extends InputStream {
    private static final int CHUNK = 16 * 1024;

    private final InputStream in;
    private final byte[][] secrets;
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
        this.in = Objects.requireNonNull(in, "in");
        this.secrets = secrets.stream()
                .filter(s -> s != null && !s.isEmpty())
                .distinct()
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .sorted(Comparator.comparingInt((byte[] s) -> s.length).reversed())
                .toArray(byte[][]::new);
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
        SecretMaskingInputStream masked = new SecretMaskingInputStream(
                new SequenceInputStream(new ByteArrayInputStream(precedingBytes), body), secrets);
        try {
            masked.skipNBytes(precedingBytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return masked;
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
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
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
        for (byte[] secret : secrets) {
            if (position + secret.length <= end && matches(secret, position)) {
                Arrays.fill(buffer, position, position + secret.length, (byte) 'x');
                return secret.length;
            }
        }
        return 0;
    }

    private boolean matches(byte[] secret, int position) {
        for (int k = 0; k < secret.length; k++) {
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
