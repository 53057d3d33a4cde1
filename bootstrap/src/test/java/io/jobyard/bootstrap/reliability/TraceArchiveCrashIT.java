package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.bootstrap.e2e.ServerProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18, crash between a job's ending and its log's archive, in the style of {@link CrashRecoveryIT} (reduced to
 * one kill to fit {@code mvn verify}): the built jar on H2 file mode answers the runners' final {@code PUT}s with
 * archiving switched off ({@code JOBYARD_TRACE_ARCHIVE_THREADS=0}), so every ending's queue entry is committed and no
 * archive is made; it is killed with SIGKILL and started again on the same data directory with archiving on. After the
 * restart every log is archived from the queue, the live chunks are gone from disk, and each log reads byte for byte
 * what the runner sent — before the kill (from the live chunks) and after (from the archive).
 */
class TraceArchiveCrashIT {
    private static final String ADMIN_TOKEN = "trace-archive-crash-admin-token-0123";
    private static final String CI_CONFIG = "a: {script: [x]}\nb: {script: [x]}\nc: {script: [x]}\n";

    @TempDir
    Path dir;

    private Process server;
    private final HttpClient probe = HttpClient.newHttpClient();

    @AfterEach
    void kill() {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
    }

    @Test
    void logsQueuedForArchivingBeforeAKillAreArchivedAfterTheRestartAndTheirLiveChunksRemoved() throws Exception {
        Path data = dir.resolve("data");
        int port = freePort();
        Api api = new Api("http://127.0.0.1:" + port, ADMIN_TOKEN);
        start(data, port, 0, "0");
        long project = api.createProject("acme", "archive-crash");
        String runnerToken = api.createRunner();
        api.createPipeline(project, CI_CONFIG, 1);

        Random random = new Random(18);
        Map<Long, byte[]> logs = new LinkedHashMap<>();
        for (int j = 0; j < 3; j++) {
            Api.Reply taken = api.requestJob(runnerToken);
            assertThat(taken.status()).as("job request").isEqualTo(201);
            JsonNode payload = taken.json();
            long id = payload.get("id").asLong();
            String token = payload.get("token").asText();
            java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
            for (int piece = 0; piece < 4; piece++) {
                byte[] bytes = Api.logBytes(random, 1 + random.nextInt(150_000));
                Api.Reply appended = api.appendTrace(id, token, sent.size(), bytes);
                assertThat(appended.status()).as("append " + appended).isEqualTo(202);
                sent.writeBytes(bytes);
            }
            Api.Reply finished = api.updateJob(id, token, j == 1 ? "failed" : "success");
            assertThat(finished.status()).as("PUT " + finished).isEqualTo(200);
            logs.put(id, sent.toByteArray());
        }
        for (Map.Entry<Long, byte[]> log : logs.entrySet()) {
            assertThat(traceOf(api, project, log.getKey())).as("served live before the kill").isEqualTo(log.getValue());
            assertThat(hasTraceArtifact(api, project, log.getKey())).as("not archived: archiving is off").isFalse();
            assertThat(liveChunks(data, log.getKey())).as("live chunks on disk").isPositive();
        }

        server.destroyForcibly(); // SIGKILL between the endings and their archives
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

        start(data, port, 1, null);
        for (Map.Entry<Long, byte[]> log : logs.entrySet()) {
            long job = log.getKey();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> hasTraceArtifact(api, project, job) && liveChunks(data, job) == 0);
            assertThat(traceOf(api, project, job)).as("archived log of job " + job).isEqualTo(log.getValue());
        }
    }

    private static byte[] traceOf(Api api, long project, long job) throws IOException, InterruptedException {
        Api.Reply reply = api.admin("GET", "/projects/" + project + "/jobs/" + job + "/trace", null);
        assertThat(reply.status()).as("trace of job " + job).isEqualTo(200);
        return reply.body();
    }

    private static boolean hasTraceArtifact(Api api, long project, long job) throws IOException, InterruptedException {
        JsonNode found = api.adminExpect("GET", "/projects/" + project + "/jobs/" + job, null, 200);
        for (JsonNode artifact : found.path("artifacts")) {
            if ("trace".equals(artifact.path("file_type").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The files the filesystem trace store keeps for the job's live log. */
    private static long liveChunks(Path data, long job) throws IOException {
        Path directory = data.resolve("traces").resolve(Long.toString(job));
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (var files = Files.list(directory)) {
            return files.count();
        }
    }

    private void start(Path data, int port, int round, String archiveThreads) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", Path.of("target", "jobyard.jar").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server-" + round + ".log").toFile());
        builder.environment().put("JOBYARD_PORT", Integer.toString(port));
        builder.environment().put("JOBYARD_BIND", "127.0.0.1");
        builder.environment().put("JOBYARD_EXTERNAL_URL", "http://127.0.0.1:" + port);
        builder.environment().put("JOBYARD_DATA_DIR", data.toString());
        builder.environment().put("JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN);
        if (archiveThreads != null) {
            builder.environment().put("JOBYARD_TRACE_ARCHIVE_THREADS", archiveThreads);
        }
        server = builder.start();
        ServerProcesses.awaitReady(server, probe, URI.create("http://127.0.0.1:" + port + "/-/readiness"),
                Duration.ofSeconds(90), () -> "round " + round + ":\n"
                        + Files.readString(dir.resolve("server-" + round + ".log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
