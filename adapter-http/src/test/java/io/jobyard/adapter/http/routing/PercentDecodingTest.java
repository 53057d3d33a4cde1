package io.jobyard.adapter.http.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PercentDecodingTest {
    @Test
    void decodesPercentEscapesOnly() {
        assertThat(PercentDecoding.decode("group%2Fsub%2Fapp", false)).isEqualTo("group/sub/app");
        // gitlab4j encodes . - _ as well
        assertThat(PercentDecoding.decode("my%2Eproject%2Dx%5Fy", false)).isEqualTo("my.project-x_y");
    }

    @Test
    void aLiteralPlusStaysAPlus() {
        assertThat(PercentDecoding.decode("feature+x", false)).isEqualTo("feature+x");
        assertThat(PercentDecoding.decode("a%2Bb", false)).isEqualTo("a+b");
    }

    @Test
    void inFormsAndUserInformationAPlusIsASpace() {
        assertThat(PercentDecoding.decode("a+b%2Bc", true)).isEqualTo("a b+c");
        assertThat(PercentDecoding.decode("just+spaces", true)).isEqualTo("just spaces");
        assertThat(PercentDecoding.decode("100%+", true)).isEqualTo("100% ");
    }

    @Test
    void charactersBeyondTheBmpPassThroughWhetherEscapedOrNot() {
        assertThat(PercentDecoding.decode("%F0%9F%9A%80+\uD83D\uDE80".translateEscapes(), true))
                .isEqualTo("\uD83D\uDE80 \uD83D\uDE80".translateEscapes());
        assertThat(PercentDecoding.decode("\uD83D\uDE80%20".translateEscapes(), false))
                .isEqualTo("\uD83D\uDE80 ".translateEscapes());
    }

    @Test
    void aBrokenEscapeStaysLiteral() {
        assertThat(PercentDecoding.decode("100%", false)).isEqualTo("100%");
        assertThat(PercentDecoding.decode("%zz%4", false)).isEqualTo("%zz%4");
    }

    @Test
    void multiByteUtf8IsDecoded() {
        assertThat(PercentDecoding.decode("r%C3%A9sum%C3%A9", false)).isEqualTo("résumé");
    }

    @Test
    void strictDecodingRefusesInvalidUtf8() {
        assertThat(PercentDecoding.decodeStrict("%C3")).isEmpty();
        assertThat(PercentDecoding.decodeStrict("%FF%FE")).isEmpty();
        assertThat(PercentDecoding.decodeStrict("ok%20file")).contains("ok file");
    }

    @Test
    void lenientDecodingReplacesInvalidUtf8() {
        assertThat(PercentDecoding.decode("a%FFb", false)).isEqualTo("a\uFFFDb");
    }
}
