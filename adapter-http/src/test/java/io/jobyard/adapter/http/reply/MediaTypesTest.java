package io.jobyard.adapter.http.reply;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Workhorse's {@code detectFileContentType}: Go's {@code mime.TypeByExtension} of the name's extension. */
class MediaTypesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // Go's built-in table, which wins over the host's list (xml is application/xml in media-types)
            "report.json|application/json",
            "page.HTML|text/html; charset=utf-8",
            "feed.xml|text/xml; charset=utf-8",
            "app.mjs|text/javascript; charset=utf-8",
            // the host's /etc/mime.types, text types with Go's charset
            "build.sh|text/x-sh; charset=utf-8",
            "setup.py|text/x-python; charset=utf-8",
            "Main.java|text/x-java; charset=utf-8",
            "notes.txt|text/plain; charset=utf-8",
            "key.asc|application/pgp-keys",
            "dist.tgz|application/x-gtar-compressed",
            "app.jar|application/java-archive",
            // filepath.Ext: after the last dot of the last segment, or nothing
            "out/dir.d/README|application/octet-stream",
            "out/.sh|text/x-sh; charset=utf-8",
            "trailing.|application/octet-stream",
            "job.log|application/octet-stream",
            "data.unknownext|application/octet-stream"})
    void aFileIsTypedByItsExtensionAsWorkhorseTypesIt(String filename, String mediaType) {
        assertThat(MediaTypes.byFilename(filename)).isEqualTo(mediaType);
    }
}
