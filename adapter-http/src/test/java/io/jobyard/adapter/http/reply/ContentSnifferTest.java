package io.jobyard.adapter.http.reply;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Workhorse's detect-content-type for by-ref raw files: text of any kind is plain text, SVG stays an image. */
class ContentSnifferTest {
    @Test
    void textAndMarkupAreServedAsPlainText() {
        assertThat(sniff("hello world\n")).isEqualTo("text/plain; charset=utf-8");
        assertThat(sniff("  <html><script>alert(1)</script></html>")).isEqualTo("text/plain; charset=utf-8");
        assertThat(sniff("<?xml version=\"1.0\"?><a/>")).isEqualTo("text/plain; charset=utf-8");
        assertThat(sniff("function x() { return 1; }")).isEqualTo("text/plain; charset=utf-8");
        assertThat(sniff("")).isEqualTo("text/plain; charset=utf-8");
    }

    @Test
    void svgIsAnImage() {
        assertThat(sniff("<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg xmlns=\"http://www.w3.org/2000/svg\">"
                + "<rect/></svg>\n")).isEqualTo("image/svg+xml");
    }

    @Test
    void binarySignatures() {
        assertThat(ContentSniffer.safeContentType(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0}))
                .isEqualTo("image/png");
        assertThat(ContentSniffer.safeContentType(new byte[]{'P', 'K', 3, 4, 0, 0})).isEqualTo("application/zip");
        assertThat(sniff("%PDF-1.7")).isEqualTo("application/pdf");
        assertThat(ContentSniffer.safeContentType(new byte[]{0x1F, (byte) 0x8B, 0x08, 0})).isEqualTo("application/x-gzip");
        assertThat(ContentSniffer.safeContentType(new byte[]{1, 2, 3, 0, 5})).isEqualTo("application/octet-stream");
    }

    private static String sniff(String text) {
        return ContentSniffer.safeContentType(text.getBytes(StandardCharsets.UTF_8));
    }
}
