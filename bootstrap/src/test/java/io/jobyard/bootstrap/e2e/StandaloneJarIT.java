package io.jobyard.bootstrap.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar as a user runs it: a separate process on a fresh data directory. Through HTTP only it creates a
 * project, a runner and a pipeline, runs the job as the runner with a large artifact, reads the job back — then gets
 * SIGTERM in the middle of a large download, which must still complete.
 */
class StandaloneJarIT {
    private static final String ADMIN_TOKEN = "jar-test-admin-token-0123456789";
    private static final Pattern JOB_ID = Pattern.compile("^\\{\"id\":(\\d+)");
    private static final Pattern JOB_TOKEN = Pattern.compile("\"token\":\"(glcbt-[^\"]+)\"");
    private static final Pattern RUNNER_TOKEN = Pattern.compile("\"token\":\"(glrt-[^\"]+)\"");

    @TempDir
    Path dir;

    private Process server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String api;

    @AfterEach
    void kill() {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
    }

    @Test
    void runsFromAFreshDirectoryAndFinishesADownloadOnSigterm() throws Exception {
        int port = freePort();
        api = "http://127.0.0.1:" + port + "/api/v4";
        Path log = dir.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", Path.of("target", "jobyard.jar").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JOBYARD_PORT", Integer.toString(port));
        builder.environment().put("JOBYARD_BIND", "127.0.0.1");
        builder.environment().put("JOBYARD_EXTERNAL_URL", "http://127.0.0.1:" + port);
        builder.environment().put("JOBYARD_DATA_DIR", dir.resolve("data").toString());
        builder.environment().put("JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN);
        builder.environment().put("JOBYARD_SHUTDOWN_GRACE", "60s");
        Instant launched = Instant.now();
        server = builder.start();
        awaitReadiness(Duration.ofSeconds(60), log);
        System.out.println("ready after " + Duration.between(launched, Instant.now()).toMillis() + " ms");

        String project = send("POST", "/projects", form("name=demo&namespace_path=acme&visibility=private"), 201);
        assertThat(project).contains("\"path_with_namespace\":\"acme/demo\"");
        String runnerToken = find(RUNNER_TOKEN, send("POST", "/user/runners",
                form("runner_type=instance_type&run_untagged=true"), 201));
        send("POST", "/projects/acme%2Fdemo/pipeline", form("ref=main&sha=" + "a".repeat(40)
                + "&ci_config=" + java.net.URLEncoder.encode("build: {script: [make]}", StandardCharsets.UTF_8)), 201);
        String payload = send("POST", "/jobs/request", form("token=" + runnerToken), 201);
        String jobId = find(JOB_ID, payload);
        String jobToken = find(JOB_TOKEN, payload);

        Path archive = dir.resolve("artifacts.zip");
        writeStoredZip(archive, 48L << 20);
        String boundary = "jobyard-boundary";
        HttpRequest upload = HttpRequest.newBuilder(URI.create(api + "/jobs/" + jobId + "/artifacts"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("JOB-TOKEN", jobToken)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; "
                                + "name=\"token\"\r\n\r\n" + jobToken + "\r\n--" + boundary + "\r\nContent-Disposition: "
                                + "form-data; name=\"file\"; filename=\"artifacts.zip\"\r\nContent-Type: "
                                + "application/octet-stream\r\n\r\n"),
                        HttpRequest.BodyPublishers.ofFile(archive),
                        HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
                .build();
        assertThat(http.send(upload, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/jobs/" + jobId, form("token=" + jobToken + "&state=success"), 200)).isEqualTo("200");
        assertThat(send("GET", "/projects/acme%2Fdemo/jobs/" + jobId, null, 200))
                .contains("\"status\":\"success\"").contains("\"artifacts_file\":{\"filename\":\"artifacts.zip\"");

        HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(
                        URI.create(api + "/projects/acme%2Fdemo/jobs/" + jobId + "/artifacts"))
                .header("PRIVATE-TOKEN", ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long bytes;
        try (InputStream body = new DigestInputStream(download.body(), received)) {
            byte[] first = body.readNBytes(1 << 20);
            server.destroy(); // SIGTERM while most of the archive is still to come
            Thread.sleep(500);
            bytes = first.length + body.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(bytes).isEqualTo(Files.size(archive));
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(sha256(archive));
        assertThat(server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        String output = Files.readString(log);
        assertThat(output).doesNotContain(ADMIN_TOKEN).doesNotContain(runnerToken).doesNotContain(jobToken);
        // The access log names the route template; the download counts as served although SIGTERM came during it.
        assertThat(output).contains("GET /api/v4/projects/:id/jobs/:job_id/artifacts 200");
    }

    private String send(String method, String path, HttpRequest.BodyPublisher body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).header("PRIVATE-TOKEN", ADMIN_TOKEN);
        if (body != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        HttpResponse<String> response = http.send(request.method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : body).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + " → " + response.body()).isEqualTo(expectedStatus);
        return response.body();
    }

    private static HttpRequest.BodyPublisher form(String encoded) {
        return HttpRequest.BodyPublishers.ofString(encoded);
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(pattern + " in " + text).isTrue();
        return matcher.group(1);
    }

    private void awaitReadiness(Duration limit, Path log) throws Exception {
        ServerProcesses.awaitReady(server, http, URI.create(api.replace("/api/v4", "/-/readiness")), limit,
                () -> Files.readString(log));
    }

    /** A zip of incompressible random data, stored (not deflated), written as a stream. */
    private static void writeStoredZip(Path target, long size) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        CRC32 crc = new CRC32();
        long chunks = size / chunk.length;
        for (long i = 0; i < chunks; i++) {
            random.nextBytes(chunk);
            crc.update(chunk);
        }
        random = new Random(42);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(target))) {
            ZipEntry entry = new ZipEntry("big.bin");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(chunks * chunk.length);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            for (long i = 0; i < chunks; i++) {
                random.nextBytes(chunk);
                zip.write(chunk);
            }
            zip.closeEntry();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
