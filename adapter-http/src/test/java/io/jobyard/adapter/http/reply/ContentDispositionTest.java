package io.jobyard.adapter.http.reply;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Rails' ActionDispatch::Http::ContentDisposition output, which GitLab sends for archives. */
class ContentDispositionTest {
    @Test
    void anAsciiNameAppearsTwice() {
        assertThat(ContentDisposition.attachment("artifacts.zip"))
                .isEqualTo("attachment; filename=\"artifacts.zip\"; filename*=UTF-8''artifacts.zip");
    }

    @Test
    void spacesAreKeptInTheFallbackAndEncodedInTheUtf8Name() {
        assertThat(ContentDisposition.attachment("my report.txt"))
                .isEqualTo("attachment; filename=\"my report.txt\"; filename*=UTF-8''my%20report.txt");
    }

    @Test
    void accentsAreTransliteratedAndOtherNonAsciiBecomesAnEscapedQuestionMark() {
        assertThat(ContentDisposition.attachment("résumé €.pdf"))
                .isEqualTo("attachment; filename=\"resume %3F.pdf\"; "
                        + "filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%82%AC.pdf");
    }

    @Test
    void quotesAndSeparatorsCannotBreakTheHeader() {
        assertThat(ContentDisposition.attachment("a\"b;c\\d\r\n.txt"))
                .isEqualTo("attachment; filename=\"a%22b%3Bc%5Cd%0D%0A.txt\"; "
                        + "filename*=UTF-8''a%22b%3Bc%5Cd%0D%0A.txt");
    }

    @Test
    void theTraceUsesGitLabsLiteralInfileForm() {
        assertThat(ContentDisposition.traceFile(42)).isEqualTo("infile; filename=\"42.log\"");
    }
}
