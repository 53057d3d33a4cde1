package io.jobyard.application.stream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rails' ActionDispatch::Http::ContentDisposition output, which GitLab sends for archives, and Workhorse's, which it
 * sends for a single file out of an archive.
 */
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
    void workhorseNamesAFileOnceQuotedWithOnlyBackslashAndQuoteEscaped() {
        assertThat(ContentDisposition.workhorseAttachment("util.txt")).isEqualTo("attachment; filename=\"util.txt\"");
        assertThat(ContentDisposition.workhorseAttachment("my report;v2.txt"))
                .isEqualTo("attachment; filename=\"my report;v2.txt\"");
        assertThat(ContentDisposition.workhorseAttachment("a\"b\\c.txt"))
                .isEqualTo("attachment; filename=\"a\\\"b\\\\c.txt\"");
    }

    @Test
    void workhorseWritesUtf8BytesAsTheyAreAndNoLineBreaks() {
        String header = ContentDisposition.workhorseAttachment("résumé\r\n€.pdf");
        assertThat(header.chars()).allMatch(c -> c <= 0xff);
        assertThat(new String(header.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8))
                .isEqualTo("attachment; filename=\"résumé  €.pdf\"");
    }

    @Test
    void theTraceUsesGitLabsLiteralInfileForm() {
        assertThat(ContentDisposition.traceFile(42)).isEqualTo("infile; filename=\"42.log\"");
    }
}
