package io.jobyard.adapter.http.params;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartFormTest {
    private static final String BOUNDARY = "------------------------d74496d66958873e";
    private static final MultipartForm.Limits LIMITS = new MultipartForm.Limits("file", 1 << 20, 4096);

    @TempDir
    Path spool;

    /** gitlab-runner's upload: its fields and the archive, read back exactly. */
    @Test
    void readsTheFieldsAndSpoolsTheFilePart() throws IOException {
        byte[] archive = randomBytes(new Random(1), 300_000);
        byte[] body = new Body().field("artifact_format", "zip").field("artifact_type", "archive")
                .field("expire_in", "1 week").file("file", "artifacts.zip", archive).end();

        try (MultipartForm form = read(body, 8192)) {
            assertThat(form.field("artifact_format")).contains("zip");
            assertThat(form.field("artifact_type")).contains("archive");
            assertThat(form.field("expire_in")).contains("1 week");
            assertThat(form.field("file")).isEmpty();
            MultipartForm.FilePart file = form.file().orElseThrow();
            assertThat(file.fileName()).isEqualTo("artifacts.zip");
            assertThat(file.size()).isEqualTo(archive.length);
            assertThat(Files.readAllBytes(file.path())).isEqualTo(archive);
            assertThat(file.path().getFileName().toString()).startsWith("jobyard-part-").endsWith(".upload");
            form.close();
            assertThat(file.path()).doesNotExist();
        }
    }

    /**
     * Content that holds the delimiter's beginnings (line breaks, dashes, the boundary less its last byte) in every
     * position, arriving in reads of every size: always the exact bytes.
     */
    @Test
    void contentNearTheDelimiterSurvivesAnyCuttingOfTheBody() throws IOException {
        Random random = new Random(18);
        String[] pieces = {"\r\n", "\r\n-", "\r\n--", "\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1), "-",
                "--" + BOUNDARY, "\r", "\n", BOUNDARY};
        for (int round = 0; round < 300; round++) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            int count = random.nextInt(40);
            for (int i = 0; i < count; i++) {
                if (random.nextBoolean()) {
                    content.writeBytes(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    content.writeBytes(randomBytes(random, random.nextInt(random.nextInt(8) > 0 ? 20 : 70_000)));
                }
            }
            byte[] expected = content.toByteArray();
            if (new String(expected, StandardCharsets.ISO_8859_1).contains("\r\n--" + BOUNDARY)) {
                continue; // a part never holds its delimiter (RFC 2046): that would be another body
            }
            String field = new String(randomBytes(random, random.nextInt(30)), StandardCharsets.ISO_8859_1)
                    .replace('\r', 'r').replace('-', 'd');
            byte[] body = new Body().field("expire_in", field, "text/plain; charset=ISO-8859-1")
                    .file("file", "a.zip", expected).end();

            try (MultipartForm form = read(body, 1 + random.nextInt(random.nextBoolean() ? 7 : 70_000))) {
                assertThat(Files.readAllBytes(form.file().orElseThrow().path())).as("round %d", round)
                        .isEqualTo(expected);
                assertThat(form.field("expire_in")).contains(field);
            }
        }
    }

    @Test
    void aPreambleAnEpilogueTransportPaddingAndBareLineFeedsInHeadersAreAccepted() throws IOException {
        byte[] body = ("preamble, ignored\r\n--" + BOUNDARY + "  \t\r\n"
                + "Content-Disposition: form-data; name=\"artifact_type\"\n\n"
                + "junit\r\n--" + BOUNDARY + "\r\n"
                + "content-disposition: FORM-DATA; filename=\"r.xml\"; name=file\r\n"
                + "Content-Type: application/xml\r\n\r\n<testsuites/>\r\n--" + BOUNDARY + "--\r\nepilogue, ignored")
                .getBytes(StandardCharsets.UTF_8);

        try (MultipartForm form = read(body, 3)) {
            assertThat(form.field("artifact_type")).contains("junit");
            assertThat(Files.readString(form.file().orElseThrow().path())).isEqualTo("<testsuites/>");
            assertThat(form.file().get().fileName()).isEqualTo("r.xml");
        }
    }

    /** As Undertow's form answered: the last field of a name, the first part named file, and only if it is a file. */
    @Test
    void ofRepeatedNamesTheLastFieldAndTheFirstFileCount() throws IOException {
        byte[] body = new Body().field("artifact_type", "archive").field("artifact_type", "junit")
                .file("file", "first.zip", "first".getBytes()).file("file", "second.zip", "second".getBytes())
                .file("metadata", "metadata.gz", new byte[5000]).end();

        try (MultipartForm form = read(body, 100)) {
            assertThat(form.field("artifact_type")).contains("junit");
            assertThat(form.file().orElseThrow().fileName()).isEqualTo("first.zip");
            assertThat(Files.readString(form.file().get().path())).isEqualTo("first");
            // Neither the second file part nor the metadata went to disk.
            try (Stream<Path> spooled = Files.list(spool)) {
                assertThat(spooled).hasSize(1);
            }
        }
    }

    @Test
    void aFieldNamedFileBeforeAnyFilePartMeansNoFile() throws IOException {
        byte[] body = new Body().field("file", "not a file part").file("file", "a.zip", "zip".getBytes()).end();

        try (MultipartForm form = read(body, 100)) {
            assertThat(form.file()).isEmpty();
        }
    }

    @Test
    void partsWithoutAFormDataNameAreSkippedAndAFilenameStarIsDecoded() throws IOException {
        byte[] body = ("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nnot form-data\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; filename=\"nameless.zip\"\r\n\r\nno name\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fallback.zip\"; "
                + "filename*=UTF-8''r%C3%A9sultats%20%E2%82%AC.zip\r\n\r\nzip\r\n--" + BOUNDARY + "--")
                .getBytes(StandardCharsets.UTF_8);

        try (MultipartForm form = read(body, 10)) {
            assertThat(form.field("x")).isEmpty();
            assertThat(form.file().orElseThrow().fileName()).isEqualTo("résultats €.zip");
            try (Stream<Path> spooled = Files.list(spool)) {
                assertThat(spooled).hasSize(1);
            }
        }
    }

    @Test
    void malformedBodiesAreRefusedAndLeaveNothingOnDisk() throws IOException {
        byte[] archive = new byte[200_000];
        String torn = new String(new Body().file("file", "a.zip", archive).end(), StandardCharsets.ISO_8859_1);
        String[] bodies = {
                "",
                "no delimiter at all",
                torn.substring(0, torn.length() - 30), // cut inside the file part
                torn.substring(0, torn.length() - 4), // cut inside the closing delimiter
                "--" + BOUNDARY, // ends after the first delimiter
                "--" + BOUNDARY + "x\r\n\r\n\r\n--" + BOUNDARY + "--", // a delimiter followed by other text
                "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"", // no blank line
                "--" + BOUNDARY + "\r\nX: " + "y".repeat(MultipartForm.MAX_HEADER_LINE + 10) + "\r\n\r\n\r\n--"
                        + BOUNDARY + "--",
                "--" + BOUNDARY + "\r\n" + ("X: y\r\n").repeat(MultipartForm.MAX_PART_HEADERS / 6 + 10)
                        + "\r\n\r\n--" + BOUNDARY + "--",
                ("--" + BOUNDARY + "\r\n\r\n\r\n").repeat(MultipartForm.MAX_PARTS + 1) + "--" + BOUNDARY + "--",
                "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\nYWJj\r\n--" + BOUNDARY + "--"};
        for (String body : bodies) {
            assertThatThrownBy(() -> read(body.getBytes(StandardCharsets.ISO_8859_1), 4096))
                    .as(body.length() > 80 ? body.substring(0, 80) : body)
                    .isInstanceOf(MultipartForm.Malformed.class);
            try (Stream<Path> spooled = Files.list(spool)) {
                assertThat(spooled).isEmpty();
            }
        }
    }

    @Test
    void aFilePartOverItsLimitOrFieldsOverTheirsAreTooLarge() throws IOException {
        byte[] big = new Body().file("file", "a.zip", new byte[(int) LIMITS.maxFileBytes() + 1]).end();
        assertThatThrownBy(() -> read(big, 65536)).isInstanceOfSatisfying(MultipartForm.TooLarge.class,
                e -> assertThat(e.file()).isTrue());
        byte[] exactly = new Body().file("file", "a.zip", new byte[(int) LIMITS.maxFileBytes()]).end();
        try (MultipartForm form = read(exactly, 65536)) {
            assertThat(form.file().orElseThrow().size()).isEqualTo(LIMITS.maxFileBytes());
        }
        // a file part the form does not keep is not held to the limit (the entity's limit bounds it)
        try (MultipartForm form = read(new Body().file("metadata", "m.gz", new byte[(1 << 20) + 5]).end(), 65536)) {
            assertThat(form.file()).isEmpty();
        }

        byte[] fields = new Body().field("a", "x".repeat(3000)).field("b", "y".repeat(1200)).end();
        assertThatThrownBy(() -> read(fields, 65536)).isInstanceOfSatisfying(MultipartForm.TooLarge.class,
                e -> assertThat(e.file()).isFalse());
        try (Stream<Path> spooled = Files.list(spool)) {
            assertThat(spooled).isEmpty();
        }
    }

    @Test
    void theBoundaryComesFromAFormDataContentTypeOnly() throws IOException {
        assertThat(MultipartForm.boundary("multipart/form-data; boundary=" + BOUNDARY)).contains(BOUNDARY);
        assertThat(MultipartForm.boundary("Multipart/Form-Data;BOUNDARY=\"a b;c\"; charset=utf-8"))
                .contains("a b;c");
        assertThat(MultipartForm.boundary("multipart/form-data")).isEmpty();
        assertThat(MultipartForm.boundary("multipart/form-data; charset=utf-8")).isEmpty();
        assertThat(MultipartForm.boundary("multipart/mixed; boundary=x")).isEmpty();
        assertThat(MultipartForm.boundary("application/octet-stream")).isEmpty();
        assertThat(MultipartForm.boundary(null)).isEmpty();
        for (String unusable : new String[]{"multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
                "multipart/form-data; boundary=" + "b".repeat(MultipartForm.MAX_BOUNDARY + 1)}) {
            assertThatThrownBy(() -> MultipartForm.boundary(unusable)).as(unusable)
                    .isInstanceOf(MultipartForm.Malformed.class);
        }
    }

    private MultipartForm read(byte[] body, int largestRead) throws IOException {
        return MultipartForm.read(new Trickle(body, largestRead), BOUNDARY, spool, LIMITS);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A body arriving in reads of at most {@code largest} bytes, as a socket hands them over. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream bytes;
        private final int largest;
        private final Random sizes = new Random(5);

        Trickle(byte[] body, int largest) {
            this.bytes = new ByteArrayInputStream(body);
            this.largest = largest;
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            return bytes.read(target, offset, Math.min(length, 1 + sizes.nextInt(largest)));
        }
    }

    /** A multipart body as curl and gitlab-runner write it. */
    private static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Body field(String name, String value) {
            return field(name, value, null);
        }

        Body field(String name, String value, String contentType) {
            head("form-data; name=\"" + name + "\"", contentType);
            out.writeBytes(value.getBytes(contentType == null ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        Body file(String name, String fileName, byte[] content) {
            head("form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"", "application/octet-stream");
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        byte[] end() {
            out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return out.toByteArray();
        }

        private void head(String disposition, String contentType) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: " + disposition + "\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }
}
