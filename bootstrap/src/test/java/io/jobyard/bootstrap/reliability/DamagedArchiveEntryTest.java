package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.ApiWorld.Response;
import io.jobyard.adapter.http.RawHttp;
import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, section 6: an archive entry whose stored bytes no longer match its CRC-32 (a flipped byte on disk) is never
 * served as a complete 200: on filesystem storage through HTTP, a large entry's download is cut short (fewer bytes than
 * {@code Content-Length}), a small one fails outright, deflated or stored; each failure is counted in
 * {@code jobyard_artifacts_integrity_failures_total}. An intact entry of the same archive is still served whole.
 * Before, the check sat at the end of the stream, which a copy of {@code Content-Length} bytes never reaches: the
 * damaged bytes went out as a complete 200.
 */
class DamagedArchiveEntryTest {
    private static final String ADMIN_TOKEN = "damaged-archive-admin-token-0123456789";

    @TempDir
    Path dataDir;

    @Test
    void aDamagedEntryIsNeverServedAsACompleteDownload() throws Exception {
        byte[] stored = random(1, 3 << 20);
        byte[] deflated = text(2 << 20);
        byte[] small = "a small file of a few bytes\n".getBytes(StandardCharsets.UTF_8);
        byte[] intact = random(2, 100_000);
        byte[] zip = zip(Map.of("stored.bin", stored, "small.txt", small, "intact.bin", intact),
                Map.of("deflated.txt", deflated));
        try (QuietLogs quiet = new QuietLogs();
             Standalone server = Standalone.start(Configuration.from(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND",
                     "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN)))) {
            Api api = new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
            long project = api.createProject("acme", "damaged");
            api.createPipeline(project, "build: {script: [make]}", 1);
            String runner = api.createRunner();
            JsonNode job = api.requestJob(runner).json();
            long jobId = job.get("id").asLong();
            assertThat(api.uploadArchive(jobId, job.get("token").asText(), zip).status()).isEqualTo(201);
            String base = "/api/v4/projects/" + project + "/jobs/" + jobId + "/artifacts/";
            assertThat(get(server, base + "stored.bin").body()).as("served whole while intact").isEqualTo(stored);

            Path archive = storedArchive();
            byte[] onDisk = Files.readAllBytes(archive);
            flipByteWithin(archive, onDisk, stored, stored.length / 2);
            flipByteWithin(archive, onDisk, small, 3);
            flipByteInDeflatedEntry(archive, onDisk, "deflated.txt");

            for (String path : new String[]{"stored.bin", "deflated.txt", "small.txt"}) {
                Response response;
                try {
                    response = get(server, base + path);
                } catch (java.io.UncheckedIOException reset) {
                    continue; // the connection was reset mid-body: a failed download
                }
                String contentLength = response.header("content-length");
                boolean complete = response.status() == 200 && contentLength != null
                        && response.body().length == Long.parseLong(contentLength);
                assertThat(complete).as(path + " → " + response.status() + ", " + response.body().length + " of "
                        + contentLength + " bytes").isFalse();
            }
            assertThat(get(server, base + "intact.bin").body()).as("an intact entry of the same archive")
                    .isEqualTo(intact);
            assertThat(metrics(server)).contains("jobyard_artifacts_integrity_failures_total 3.0");
        }
    }

    private Path storedArchive() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir.resolve("artifacts"))) {
            return files.filter(Files::isRegularFile).max(Comparator.comparingLong(DamagedArchiveEntryTest::size))
                    .orElseThrow();
        }
    }

    /** Flips one byte of {@code content}'s copy inside the archive file (stored entries are there verbatim). */
    private static void flipByteWithin(Path archive, byte[] onDisk, byte[] content, int at) throws IOException {
        int start = indexOf(onDisk, content);
        assertThat(start).as("the entry's bytes in the archive").isNotNegative();
        flip(archive, start + at);
    }

    /** Flips a byte in the middle of a deflated entry's compressed data (after its local header and name). */
    private static void flipByteInDeflatedEntry(Path archive, byte[] onDisk, String name) throws IOException {
        int header = indexOf(onDisk, ("PK\u0003\u0004").getBytes(StandardCharsets.ISO_8859_1), name);
        int nameLength = le16(onDisk, header + 26);
        int extraLength = le16(onDisk, header + 28);
        int data = header + 30 + nameLength + extraLength;
        // ZipOutputStream leaves the sizes to a data descriptor; the text compresses to far more than this offset
        flip(archive, data + 20_000);
    }

    private static void flip(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5A));
            one.rewind();
            channel.write(one, position);
        }
    }

    private static Response get(Standalone server, String path) {
        return RawHttp.send(server.port(), "GET", path, Map.of("PRIVATE-TOKEN", ADMIN_TOKEN), null);
    }

    private static String metrics(Standalone server) {
        return new String(RawHttp.send(server.port(), "GET", "/-/metrics", Map.of(), null).body(),
                StandardCharsets.UTF_8);
    }

    private static byte[] zip(Map<String, byte[]> storedEntries, Map<String, byte[]> deflatedEntries)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : storedEntries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : deflatedEntries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] text(int size) {
        Random random = new Random(3);
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (random.nextInt(30) == 0 ? '\n' : 'a' + random.nextInt(26));
        }
        return bytes;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The local header whose name follows it. */
    private static int indexOf(byte[] archive, byte[] signature, String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i <= archive.length - 30 - nameBytes.length; i++) {
            if (archive[i] == signature[0] && archive[i + 1] == signature[1] && archive[i + 2] == signature[2]
                    && archive[i + 3] == signature[3]) {
                byte[] found = java.util.Arrays.copyOfRange(archive, i + 30, i + 30 + nameBytes.length);
                if (java.util.Arrays.equals(found, nameBytes)) {
                    return i;
                }
            }
        }
        throw new AssertionError("no local header for " + name);
    }

    private static int le16(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
