package io.jobyard.adapter.http.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PercentDecodingTest {
    @Test
    void decodesPercentEscapesOnly() {
        assertThat(PercentDecoding.decode("group%2Fsub%2Fapp")).isEqualTo("group/sub/app");
        // gitlab4j encodes . - _ as well
        assertThat(PercentDecoding.decode("my%2Eproject%2Dx%5Fy")).isEqualTo("my.project-x_y");
    }

    @Test
    void aLiteralPlusStaysAPlus() {
        assertThat(PercentDecoding.decode("feature+x")).isEqualTo("feature+x");
        assertThat(PercentDecoding.decode("a%2Bb")).isEqualTo("a+b");
    }

    @Test
    void aBrokenEscapeStaysLiteral() {
        assertThat(PercentDecoding.decode("100%")).isEqualTo("100%");
        assertThat(PercentDecoding.decode("%zz%4")).isEqualTo("%zz%4");
    }

    @Test
    void multiByteUtf8IsDecoded() {
        assertThat(PercentDecoding.decode("r%C3%A9sum%C3%A9")).isEqualTo("résumé");
    }

    @Test
    void strictDecodingRefusesInvalidUtf8() {
        assertThat(PercentDecoding.decodeStrict("%C3")).isEmpty();
        assertThat(PercentDecoding.decodeStrict("%FF%FE")).isEmpty();
        assertThat(PercentDecoding.decodeStrict("ok%20file")).contains("ok file");
    }

    @Test
    void lenientDecodingReplacesInvalidUtf8() {
        assertThat(PercentDecoding.decode("a%FFb")).isEqualTo("a\uFFFDb");
    }
}
