package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 §2: an artifact upload or a log append is authorized from its headers and query before a byte of its body
 * is read, as Workhorse has GitLab do it ({@code /artifacts/authorize}). Every refused request here announces a large
 * body and sends none of it: the answer must come anyway, and nothing may reach the disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadAuthorizationTest {
    private static final String ADMIN_TOKEN = "upload-admin-token-0123456789";
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
    private static final String BOUNDARY = "upload-authorization-boundary";

    private Path dataDir;
    private Standalone server;
    private Api api;
    private long project;
    private String runner;
    private int pipelines;

    @BeforeAll
    void start() throws Exception {
        dataDir = Files.createTempDirectory("jobyard-upload-authorization");
        server = Standalone.start(Configuration.from(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1",
                "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN,
                "JOBYARD_MAX_ARTIFACT_SIZE", "1m", "JOBYARD_MAX_LOG_SIZE", "1m")));
        api = new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
        project = api.createProject("acme", "uploads");
        runner = api.createRunner();
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void aWrongTokenUploadIsAnsweredBeforeItsBodyIsSentAndNothingIsWritten() throws Exception {
        Job job = runningJob();
        for (String credentials : new String[]{"JOB-TOKEN: glcbt-wrong\r\n", ""}) {
            String query = credentials.isEmpty() ? "?token=glcbt-wrong" : "";
            try (RawClient client = new RawClient(server.port())) {
                RawClient.Received answer = client.send(uploadHead(job.id, query, credentials, 500_000_000L))
                        .response(ANSWER_WITHIN);
                assertThat(answer.status()).as("answer to a wrong token without the body: " + answer.text())
                        .isEqualTo(403);
                assertThat(answer.body()).isEqualTo("{\"message\":\"403 Forbidden\"}");
            }
        }
        assertNothingWritten();
    }

    @Test
    void anUploadWhoseTokenIsOnlyInsideTheBodyIsRefusedAsWorkhorsesAuthorizeRefusesIt() throws Exception {
        Job job = runningJob();
        try (RawClient client = new RawClient(server.port())) {
            // The token part is sent, the file part never is: the answer must not wait for it.
            RawClient.Received answer = client.send(uploadHead(job.id, "", "", 500_000_000L)
                    + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n" + job.token
                    + "\r\n").response(ANSWER_WITHIN);
            assertThat(answer.status()).as(answer.text()).isEqualTo(403);
        }
        assertNothingWritten();
    }

    @Test
    void anUploadAnnouncedOverTheLimitIsRefusedWith413BeforeItsBody() throws Exception {
        Job job = runningJob();
        try (RawClient client = new RawClient(server.port())) {
            RawClient.Received answer = client.send(uploadHead(job.id, "", "JOB-TOKEN: " + job.token + "\r\n",
                    500_000_000L)).response(ANSWER_WITHIN);
            assertThat(answer.status()).as(answer.text()).isEqualTo(413);
            assertThat(answer.body()).isEqualTo("{\"message\":\"file size has reached maximum size limit\"}");
        }
        try (RawClient client = new RawClient(server.port())) {
            // GitLab's filesize parameter of /artifacts/authorize, with a body that would fit
            RawClient.Received answer = client.send(uploadHead(job.id, "?filesize=2000000",
                    "JOB-TOKEN: " + job.token + "\r\n", 4_000L)).response(ANSWER_WITHIN);
            assertThat(answer.status()).as(answer.text()).isEqualTo(413);
        }
        assertNothingWritten();
        // the job is still the runner's: a correct upload after the refusals is stored
        assertThat(api.uploadArchive(job.id, job.token, Api.zip(new java.util.Random(7), 512)).status())
                .isEqualTo(201);
    }

    @Test
    void aLogAppendWithAWrongTokenOrOverTheLimitIsRefusedBeforeItsBody() throws Exception {
        Job job = runningJob();
        try (RawClient client = new RawClient(server.port())) {
            RawClient.Received answer = client.send(traceHead(job.id, "glcbt-wrong", 0, "Content-Length: 100000000"))
                    .response(ANSWER_WITHIN);
            assertThat(answer.status()).as(answer.text()).isEqualTo(403);
            assertThat(answer.body()).isEqualTo("{\"message\":\"403 Forbidden\"}");
        }
        try (RawClient client = new RawClient(server.port())) {
            // Ci::AppendBuildTraceService: over the limit the job is dropped and the append answered 403
            RawClient.Received answer = client.send(traceHead(job.id, job.token, 0, "Content-Length: 2000000"))
                    .response(ANSWER_WITHIN);
            assertThat(answer.status()).as(answer.text()).isEqualTo(403);
            assertThat(answer.body()).isEqualTo("{\"error\":\"403 Forbidden\"}");
        }
        JsonNode dropped = api.adminExpect("GET", "/projects/" + project + "/jobs/" + job.id, null, 200);
        assertThat(dropped.get("status").asText()).isEqualTo("failed");
        assertThat(dropped.get("failure_reason").asText()).isEqualTo("trace_size_exceeded");
    }

    @Test
    void aChunkedLogAppendThatOutgrowsTheLimitIsGitLabs403NeverA500() throws Exception {
        Job job = runningJob();
        try (RawClient client = new RawClient(server.port())) {
            client.send(traceHead(job.id, job.token, 0, "Transfer-Encoding: chunked"));
            byte[] chunk = ("x".repeat(64 * 1024 - 1) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            RawClient.Received answer = null;
            try {
                for (int i = 0; i < 24; i++) {
                    client.send(Integer.toHexString(chunk.length) + "\r\n").send(chunk).send("\r\n");
                }
                client.send("0\r\n\r\n");
            } catch (UncheckedIOException refusedWhileSending) {
                // the server may answer and close before every chunk is sent; its answer is read below
            }
            answer = client.response(ANSWER_WITHIN);
            assertThat(answer.status()).as(answer.text()).isEqualTo(403);
            assertThat(answer.body()).isEqualTo("{\"error\":\"403 Forbidden\"}");
        }
        assertThat(api.adminExpect("GET", "/projects/" + project + "/jobs/" + job.id, null, 200)
                .get("failure_reason").asText()).isEqualTo("trace_size_exceeded");
    }

    @Test
    void aClientWaitingForA100GetsItOnlyOnceItsBodyIsWanted() throws Exception {
        Job job = runningJob();
        String expect = "Expect: 100-continue\r\n";
        try (RawClient refused = new RawClient(server.port())) {
            RawClient.Received answer = refused.send(uploadHead(job.id, "", "JOB-TOKEN: glcbt-wrong\r\n" + expect,
                    500_000_000L)).response(ANSWER_WITHIN);
            assertThat(answer.status()).as(answer.text()).isEqualTo(403);
        }
        try (RawClient authorized = new RawClient(server.port())) {
            RawClient.Received answer = authorized.send(uploadHead(job.id, "", "JOB-TOKEN: " + job.token + "\r\n"
                    + expect, 4_000L)).response(ANSWER_WITHIN);
            assertThat(answer.status()).as(answer.text()).isEqualTo(100);
        }
        try (RawClient small = new RawClient(server.port())) {
            String body = "{\"token\":\"" + runner + "\"}";
            RawClient.Received answer = small.send("POST /api/v4/jobs/request HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + expect + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
                    .response(ANSWER_WITHIN);
            assertThat(answer.status()).as(answer.text()).isEqualTo(100);
            RawClient.Received after = small.send(body).response(ANSWER_WITHIN);
            assertThat(after.status()).as(after.text()).isEqualTo(204);
        }
        // the authorized upload's part, spooled once its body was asked for, goes with its connection
        org.awaitility.Awaitility.await().atMost(ANSWER_WITHIN).until(() -> files(dataDir.resolve("tmp")) == 0);
    }

    private record Job(long id, String token) {
    }

    private Job runningJob() throws IOException, InterruptedException {
        api.createPipeline(project, "build: {script: [make]}", ++pipelines);
        JsonNode taken = api.requestJob(runner).json();
        return new Job(taken.get("id").asLong(), taken.get("token").asText());
    }

    private static String uploadHead(long job, String query, String credentials, long contentLength) {
        return "POST /api/v4/jobs/" + job + "/artifacts" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + credentials
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + contentLength
                + "\r\n\r\n";
    }

    private static String traceHead(long job, String token, long offset, String framing) {
        return "PATCH /api/v4/jobs/" + job + "/trace HTTP/1.1\r\nHost: 127.0.0.1\r\nJOB-TOKEN: " + token
                + "\r\nContent-Range: " + offset + "-" + (offset + 1) + "\r\n" + framing + "\r\n\r\n";
    }

    /** Neither Undertow's multipart spool nor the artifact store's staging area holds a byte. */
    private void assertNothingWritten() throws IOException {
        assertThat(files(dataDir.resolve("tmp"))).as("spooled multipart parts").isZero();
        assertThat(files(dataDir.resolve("artifacts/staging"))).as("staged uploads").isZero();
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
