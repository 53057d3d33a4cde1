package io.jobyard.application.service.artifact;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskingInputStreamTest {

    /** Masking done on the whole text at once: left to right, the longest secret first, same-length {@code x}s. */
    private static byte[] maskedWhole(byte[] text, List<String> secrets) {
        byte[] out = text.clone();
        List<byte[]> patterns = secrets.stream().filter(s -> !s.isEmpty()).distinct()
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .sorted(Comparator.comparingInt((byte[] b) -> b.length).reversed()).toList();
        int i = 0;
        while (i < out.length) {
            int step = 1;
            for (byte[] p : patterns) {
                if (i + p.length <= out.length && java.util.Arrays.equals(out, i, i + p.length, p, 0, p.length)) {
                    java.util.Arrays.fill(out, i, i + p.length, (byte) 'x');
                    step = p.length;
                    break;
                }
            }
            i += step;
        }
        return out;
    }

    /** An input stream that hands out its bytes in random small pieces, as a network would. */
    private static InputStream trickling(byte[] bytes, long seed) {
        Random random = new Random(seed);
        return new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(bytes);

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, Math.min(len, 1 + random.nextInt(7)));
            }
        };
    }

    private static byte[] drain(InputStream in, long seed) throws IOException {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16];
        while (true) {
            int n = in.read(buffer, 0, 1 + random.nextInt(buffer.length));
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buffer, 0, n);
        }
    }

    record Case(String text, List<String> secrets, long seed) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> secret = Arbitraries.strings().withChars("abcé").ofMinLength(1).ofMaxLength(6);
        Arbitrary<List<String>> secrets = secret.list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<String> text = Arbitraries.strings().withChars("abcé\nx ").ofMaxLength(300);
        return Combinators.combine(text, secrets, Arbitraries.longs()).as(Case::new);
    }

    @Property(tries = 500)
    void streamingGivesTheSameResultAsMaskingTheWholeHoweverTheBytesArrive(@ForAll("cases") Case c)
            throws IOException {
        byte[] text = c.text().getBytes(StandardCharsets.UTF_8);

        byte[] streamed = drain(new SecretMaskingInputStream(trickling(text, c.seed()), c.secrets()), c.seed() + 1);

        assertThat(streamed).isEqualTo(maskedWhole(text, c.secrets()));
        assertThat(streamed).hasSameSizeAs(text);
        String result = new String(streamed, StandardCharsets.UTF_8);
        for (String secret : c.secrets()) {
            assertThat(result).doesNotContain(secret);
        }
    }

    @Property(tries = 300)
    void continuingAfterStoredBytesMasksTheBodyAsTheWholeWouldBeMasked(@ForAll("cases") Case c) throws IOException {
        byte[] text = c.text().getBytes(StandardCharsets.UTF_8);
        int split = text.length == 0 ? 0 : (int) Math.floorMod(c.seed(), (long) text.length + 1);
        byte[] stored = java.util.Arrays.copyOfRange(text, 0, split);
        byte[] body = java.util.Arrays.copyOfRange(text, split, text.length);

        byte[] masked = drain(SecretMaskingInputStream.continuing(stored, trickling(body, c.seed()), c.secrets()),
                c.seed());

        byte[] whole = maskedWhole(text, c.secrets());
        // The body's bytes as masking the whole text would have left them — except where an occurrence began in
        // bytes masked at an earlier append, which cannot be known here; the stored bytes have no such occurrence.
        assertThat(masked).hasSize(body.length);
        byte[] storedMasked = maskedWhole(stored, c.secrets());
        if (java.util.Arrays.equals(storedMasked, stored)) {
            assertThat(masked).isEqualTo(java.util.Arrays.copyOfRange(whole, split, text.length));
        }
    }

    @Example
    void withoutSecretsNothingChanges() throws IOException {
        byte[] text = "plain text\n".getBytes(StandardCharsets.UTF_8);

        assertThat(drain(new SecretMaskingInputStream(new ByteArrayInputStream(text), List.of("")), 1))
                .isEqualTo(text);
    }

    @Example
    void splitFormsCoverEveryPrefixFollowedByMaskedBytes() {
        assertThat(SecretMaskingInputStream.withSplitForms(List.of("abé")))
                .containsExactly("abé", "axxx", "abxx");
    }
}
