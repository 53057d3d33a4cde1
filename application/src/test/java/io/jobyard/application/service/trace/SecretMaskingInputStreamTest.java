package io.jobyard.application.service.trace;

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

    // ------------------------------------------------------------------ a job token cut into appends anywhere

    private static final String TOKEN = "glcbt-" + "Zq9_k3LmW-pX7vRb2NcYt8HdJ5sFa";

    record Appends(String text, List<Integer> cuts, long seed) {
    }

    @Provide
    Arbitrary<Appends> appends() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab\n -x").ofMaxLength(12),
                Arbitraries.just(TOKEN),
                Arbitraries.integers().between(1, TOKEN.length() - 1).map(n -> TOKEN.substring(0, n)),
                Arbitraries.integers().between(1, 20).map("x"::repeat));
        Arbitrary<String> text = piece.list().ofMinSize(1).ofMaxSize(12).map(p -> String.join("", p));
        return text.flatMap(t -> Arbitraries.integers().between(0, t.length()).list().ofMaxSize(6)
                .map(cuts -> cuts.stream().sorted().toList())
                .flatMap(cuts -> Arbitraries.longs().map(seed -> new Appends(t, cuts, seed))));
    }

    /** The log as the append service stores it: each body masked after the last (token − 1) stored bytes. */
    private static byte[] storeInAppends(byte[] text, List<Integer> cuts, long seed) throws IOException {
        List<SecretMaskingInputStream.Secret> secrets = List.of(new SecretMaskingInputStream.Secret(TOKEN, 6));
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        int from = 0;
        List<Integer> ends = new java.util.ArrayList<>(cuts);
        ends.add(text.length);
        for (int end : ends) {
            byte[] log = stored.toByteArray();
            byte[] tail = java.util.Arrays.copyOfRange(log, Math.max(0, log.length - (TOKEN.length() - 1)),
                    log.length);
            byte[] body = java.util.Arrays.copyOfRange(text, from, end);
            stored.writeBytes(drain(SecretMaskingInputStream.continuing(tail, trickling(body, seed), secrets), seed));
            from = end;
        }
        return stored.toByteArray();
    }

    @Property(tries = 1000)
    void noCharacterOfAJobTokensSecretPartIsEverStoredHoweverTheAppendsCutIt(@ForAll("appends") Appends a)
            throws IOException {
        byte[] text = a.text().getBytes(StandardCharsets.UTF_8);
        byte[] stored = storeInAppends(text, a.cuts(), a.seed());

        assertThat(stored).hasSameSizeAs(text);
        for (int i = 0; i < text.length; i++) {
            assertThat(stored[i] == text[i] || stored[i] == 'x').as("only masking changes a byte").isTrue();
        }
        for (int at = a.text().indexOf(TOKEN); at >= 0; at = a.text().indexOf(TOKEN, at + 1)) {
            for (int i = at + 6; i < at + TOKEN.length(); i++) {
                assertThat((char) stored[i]).as("byte " + (i - at) + " of the token at " + at).isEqualTo('x');
            }
        }
    }

    @Example
    void aLogWithoutTheTokenIsStoredUnchangedHoweverItIsCut() throws IOException {
        byte[] text = "glcbt- and glcbt-Zq and xxxxxxxx and some more output\n".getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= text.length; cut++) {
            byte[] stored = storeInAppends(text, List.of(cut), cut);
            String result = new String(stored, StandardCharsets.UTF_8);
            if (cut == "glcbt- and glcbt-Z".length()) {
                // an append that ends in what may be the token's start, past its public prefix, masks that part;
                // the next append does not go on with the token, so its bytes stay
                assertThat(result).startsWith("glcbt- and xxxxxxxq and xxxxxxxx and");
            } else if (cut == "glcbt- and glcbt-Zq".length()) {
                assertThat(result).startsWith("glcbt- and xxxxxxxx and xxxxxxxx and");
            } else {
                assertThat(result).as("cut at " + cut).isEqualTo(new String(text, StandardCharsets.UTF_8));
            }
        }
    }
}
