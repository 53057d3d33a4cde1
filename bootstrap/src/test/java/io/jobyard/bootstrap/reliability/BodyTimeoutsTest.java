package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13 §1: a body that stops arriving is cut. A small body (read before any worker is involved) must arrive whole
 * within the body timeout; a streamed one (log append, upload: a worker reads it) may not pause longer than the idle
 * timeout. Either way the client gets 408, the connection is closed, and nothing half-received is kept.
 */
class BodyTimeoutsTest {
    private static final String ADMIN_TOKEN = "timeouts-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private Standalone server;
    private Api api;
    private JsonNode job;

    @BeforeEach
    void start() throws Exception {
        server = Standalone.start(Configuration.from(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1",
                "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN,
                "JOBYARD_HTTP_BODY_TIMEOUT", "1s", "JOBYARD_HTTP_BODY_IDLE_TIMEOUT", "1s")));
        api = new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
        long project = api.createProject("acme", "timeouts");
        String runner = api.createRunner();
        api.createPipeline(project, "build: {script: [make]}", 1);
        job = api.requestJob(runner).json();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSmallBodyThatNeverCompletesIsAnswered408AndClosed() {
        try (RawClient client = new RawClient(server.port())) {
            RawClient.Received received = client.send("POST /api/v4/jobs/request HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"token\":").awaitClose(WAIT);
            assertTimedOut(received);
        }
    }

    @Test
    void aLogAppendThatStallsIsAnswered408AndNothingOfItIsKept() throws Exception {
        String token = job.get("token").asText();
        try (RawClient client = new RawClient(server.port())) {
            RawClient.Received received = client.send("PATCH /api/v4/jobs/" + job.get("id").asLong() + "/trace"
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nJOB-TOKEN: " + token + "\r\nContent-Range: 0-999\r\n"
                    + "Content-Length: 1000\r\n\r\n$ make\n").awaitClose(WAIT);
            assertTimedOut(received);
        }
        // the log is as long as before the torn append: the runner resends from 0
        Api.Reply append = api.appendTrace(job.get("id").asLong(), token, 0, "$ make\n".getBytes(StandardCharsets.UTF_8));
        assertThat(append.status()).isEqualTo(202);
        assertThat(append.header("Range")).isEqualTo("0-7");
    }

    @Test
    void anUploadThatStallsIsAnswered408AndItsSpooledPartIsRemoved() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            RawClient.Received received = client.send("POST /api/v4/jobs/" + job.get("id").asLong() + "/artifacts"
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nJOB-TOKEN: " + job.get("token").asText() + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=b0\r\nContent-Length: 100000\r\n\r\n--b0\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"artifacts.zip\"\r\n\r\nPK\u0003\u0004")
                    .awaitClose(WAIT);
            assertTimedOut(received);
        }
        await().atMost(WAIT).until(() -> files(dataDir.resolve("tmp")) == 0);
        assertThat(files(dataDir.resolve("artifacts/staging"))).isZero();
    }

    private static void assertTimedOut(RawClient.Received received) {
        assertThat(received.closed()).as("closed by the server").isTrue();
        assertThat(received.status()).as(received.text()).isEqualTo(408);
        assertThat(received.body()).isEqualTo("{\"message\":\"408 Request Timeout\"}");
        assertThat(received.text()).containsIgnoringCase("Connection: close");
        assertThat(received.after()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    private static long files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(directory)) {
            return all.filter(Files::isRegularFile).count();
        }
    }
}
