package io.jobyard.bootstrap.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13 §2: a client that goes away in the middle of its request body — a runner killed during a log append or an
 * upload, a CLI interrupted while posting — is the client's doing. It is logged as one INFO line without a stack
 * trace and counted as status 499 (NGINX's "client closed request") in the access log and the metrics, never as a
 * 500.
 */
class ClientDisconnectTest {
    private static final String ADMIN_TOKEN = "disconnect-admin-token-0123456789";
    private static final String PIPELINE_LOG = "io.jobyard.adapter.http.ApiPipeline";

    @TempDir
    Path dataDir;

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Standalone server;
    private Api api;
    private long project;
    private String runner;

    @BeforeEach
    void start() throws Exception {
        events.start();
        root.addAppender(events);
        server = Standalone.start(Configuration.from(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1",
                "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN)));
        api = new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
        project = api.createProject("acme", "disconnects");
        runner = api.createRunner();
    }

    @AfterEach
    void stop() {
        root.detachAppender(events);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRunnerThatVanishesDuringALogAppendIsA499() throws Exception {
        JsonNode job = runningJob();
        vanishAfter("PATCH /api/v4/jobs/" + job.get("id").asLong() + "/trace HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "JOB-TOKEN: " + job.get("token").asText() + "\r\nContent-Range: 0-999\r\nContent-Length: 1000\r\n\r\n"
                + "$ make\n");
        assertRecordedAs499("PATCH", "/api/v4/jobs/:id/trace");
        // nothing of the torn append was kept: the runner resends from the length it is told
        assertThat(api.appendTrace(job.get("id").asLong(), job.get("token").asText(), 0, "$ make\n".getBytes())
                .status()).isEqualTo(202);
    }

    @Test
    void aRunnerThatVanishesDuringAnUploadIsA499() throws Exception {
        JsonNode job = runningJob();
        vanishAfter("POST /api/v4/jobs/" + job.get("id").asLong() + "/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "JOB-TOKEN: " + job.get("token").asText() + "\r\nContent-Type: multipart/form-data; boundary=b0\r\n"
                + "Content-Length: 100000\r\n\r\n--b0\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"artifacts.zip\"\r\n\r\nPK\u0003\u0004partial");
        assertRecordedAs499("POST", "/api/v4/jobs/:id/artifacts");
    }

    @Test
    void aClientThatVanishesDuringASmallBodyIsA499() throws Exception {
        vanishAfter("POST /api/v4/jobs/request HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"token\":\"" + runner.substring(0, 6));
        assertRecordedAs499("POST", "/api/v4/jobs/request");
    }

    private JsonNode runningJob() throws Exception {
        api.createPipeline(project, "build: {script: [make]}", 1);
        return api.requestJob(runner).json();
    }

    private void vanishAfter(String partialRequest) {
        try (RawClient client = new RawClient(server.port())) {
            client.send(partialRequest);
            // Give the server the head and the first bytes before the connection goes.
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
        }
    }

    private void assertRecordedAs499(String method, String route) throws Exception {
        String accessLine = method + " " + route + " 499 ";
        await().atMost(Duration.ofSeconds(20)).until(() -> messages("io.jobyard.access").stream()
                .anyMatch(line -> line.startsWith(accessLine)));
        List<ILoggingEvent> pipelineLines = events.list.stream()
                .filter(e -> e.getLoggerName().equals(PIPELINE_LOG)).toList();
        assertThat(pipelineLines).hasSize(1);
        assertThat(pipelineLines.get(0).getLevel()).isEqualTo(Level.INFO);
        assertThat(pipelineLines.get(0).getFormattedMessage())
                .startsWith("client closed the connection before its request body was complete: " + method + " "
                        + route + " ");
        assertThat(pipelineLines.get(0).getThrowableProxy()).as("stack trace").isNull();
        assertThat(events.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())).as("warnings and errors").isEmpty();
        assertThat(messages("io.jobyard.access")).noneMatch(line -> line.contains(" 500 "));

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/-/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("http_server_requests_seconds_count{method=\"" + method + "\",route=\"" + route
                + "\",status=\"499\"} 1");
    }

    private List<String> messages(String logger) {
        return events.list.stream().filter(e -> e.getLoggerName().equals(logger))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
