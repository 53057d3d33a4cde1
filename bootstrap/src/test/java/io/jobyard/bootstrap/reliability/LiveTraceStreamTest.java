package io.jobyard.bootstrap.reliability;

import io.jobyard.application.service.live.LiveLogSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16, a job's log live over HTTP: {@code GET /projects/:id/jobs/:job_id/trace} with
 * {@code Accept: text/event-stream}, read by a strict SSE parser over a real socket. The bytes delivered, decoded and
 * concatenated, are the stored log byte for byte (invalid UTF-8, CR-only progress lines, the masked job token); every
 * id is the offset after its event and resuming from one continues exactly; status changes and the end are told; an
 * idle stream carries heartbeats; refusals are the plain trace's.
 */
class LiveTraceStreamTest {
    private static final String ADMIN_TOKEN = "live-trace-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private LiveServer live;
    private Api api;
    private String base;
    private long project;
    private LiveServer.RunningJob running;
    private long job;
    private String jobToken;
    private ByteArrayOutputStream sent;

    @BeforeEach
    void start() throws Exception {
        live = LiveServer.start(dir, ADMIN_TOKEN, "live", builder -> builder.liveLog(LiveLogSettings.DEFAULTS
                .withHeartbeat(Duration.ofMillis(300)).withPollInterval(Duration.ofMillis(100))));
        api = live.api;
        base = live.base;
        project = live.project;
        running = live.takeJob();
        job = running.id;
        jobToken = running.token;
        sent = running.sent;
    }

    @AfterEach
    void stop() {
        live.close();
    }

    private String tracePath() {
        return running.tracePath();
    }

    private SseClient follow(Map<String, String> headers) throws Exception {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.putIfAbsent("PRIVATE-TOKEN", ADMIN_TOKEN);
        return SseClient.open(base, tracePath(), all, true);
    }

    private SseClient follow(String pathSuffix, Map<String, String> headers) throws Exception {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.putIfAbsent("PRIVATE-TOKEN", ADMIN_TOKEN);
        return SseClient.open(base, tracePath() + pathSuffix, all, true);
    }

    private void append(byte[] part) throws Exception {
        running.append(part);
    }

    private byte[] storedTrace() throws Exception {
        Api.Reply trace = api.admin("GET", "/projects/" + project + "/jobs/" + job + "/trace", null);
        assertThat(trace.status()).isEqualTo(200);
        return trace.body();
    }

    /** Parts a real log has: colours, CR-only progress redraws, CRLF, invalid UTF-8, the job's own token. */
    private List<byte[]> awkwardParts() {
        byte[] invalid = {'b', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF, (byte) 0x80, '\n'};
        return List.of(
                "\u001b[32;1m$ make\u001b[0;m\n".getBytes(StandardCharsets.UTF_8),
                "progress 10%\rprogress 50%\rprogress 100%\r".getBytes(StandardCharsets.UTF_8),
                "\r\ncrlf line\r\n\n".getBytes(StandardCharsets.UTF_8),
                invalid,
                ("token " + jobToken + " leaked\n").getBytes(StandardCharsets.UTF_8),
                "ünïcödé ✓ and a split é".getBytes(StandardCharsets.UTF_8),
                Arrays.copyOf(new byte[] {(byte) 0xE2, (byte) 0x9C}, 2),
                new byte[] {(byte) 0x93, '\r'});
    }

    @Test
    void aRunningJobsLogArrivesByteForByteWithStatusChangesAndTheEnd() throws Exception {
        try (SseClient client = follow(Map.of())) {
            assertThat(client.status).isEqualTo(200);
            assertThat(client.headers.get("content-type")).isEqualTo("text/event-stream");
            assertThat(client.headers.get("cache-control")).isEqualTo("no-cache");
            SseClient.Event first = client.awaitEvent(e -> true, WAIT);
            assertThat(first.event()).isEqualTo("status");
            assertThat(first.data()).isEqualTo("{\"status\":\"running\"}");
            assertThat(first.id()).isEqualTo("0");

            for (byte[] part : awkwardParts()) {
                append(part);
                long length = sent.size();
                client.awaitEvent(e -> e.event().equals("append") && e.id().equals(Long.toString(length)), WAIT);
            }
            assertThat(api.updateJob(job, jobToken, "success").status()).isEqualTo(200);
            SseClient.Event end = client.awaitEvent(e -> e.event().equals("end"), WAIT);
            client.awaitEnded(WAIT);

            byte[] stored = storedTrace();
            assertThat(client.logBytes()).isEqualTo(stored);
            String delivered = new String(client.logBytes(), StandardCharsets.ISO_8859_1);
            assertThat(delivered).doesNotContain(jobToken).contains("progress 10%\rprogress 50%\r")
                    .contains("\u00C3\u0028 \u00FF\u0080");
            assertThat(end.id()).isEqualTo(Long.toString(stored.length));
            assertThat(end.data()).isEqualTo("{\"status\":\"success\",\"length\":" + stored.length + "}");
            // Every append's id is the offset after it: the running sum of the decoded parts.
            long offset = 0;
            for (SseClient.Event event : client.named("append")) {
                offset += java.util.Base64.getDecoder().decode(event.data()).length;
                assertThat(event.id()).isEqualTo(Long.toString(offset));
            }
            List<String> statuses = client.named("status").stream().map(SseClient.Event::data).toList();
            assertThat(statuses).containsExactly("{\"status\":\"running\"}", "{\"status\":\"success\"}");
            assertThat(client.events.get(client.events.size() - 1).event()).isEqualTo("end");
        }
    }

    @Test
    void aFollowResumesFromLastEventIdOrOffsetMidLogAndAfterArchiving() throws Exception {
        for (byte[] part : awkwardParts()) {
            append(part);
        }
        byte[] all = storedTrace();
        int middle = 17;
        try (SseClient byHeader = follow(Map.of("Last-Event-ID", Integer.toString(middle)));
             SseClient byQuery = follow("?offset=" + middle, Map.of());
             SseClient headerWins = follow("?offset=3", Map.of("Last-Event-ID", Integer.toString(middle)))) {
            for (SseClient client : List.of(byHeader, byQuery, headerWins)) {
                await().atMost(WAIT).until(() -> client.logBytes().length == all.length - middle);
                assertThat(client.logBytes()).isEqualTo(Arrays.copyOfRange(all, middle, all.length));
                assertThat(client.named("status").get(0).id()).isEqualTo(Integer.toString(middle));
            }
        }

        assertThat(api.updateJob(job, jobToken, "failed").status()).isEqualTo(200);
        // The archiver moves the log to the artifact store; the follow reads it from there at the same offsets.
        await().atMost(WAIT).until(() -> api.admin("GET", "/projects/" + project + "/jobs/" + job, null).json()
                .path("artifacts").toString().contains("\"trace\""));
        assertThat(storedTrace()).isEqualTo(all);
        try (SseClient archived = follow(Map.of("Last-Event-ID", Integer.toString(middle)));
             SseClient whole = follow(Map.of())) {
            archived.awaitEnded(WAIT);
            whole.awaitEnded(WAIT);
            assertThat(archived.logBytes()).isEqualTo(Arrays.copyOfRange(all, middle, all.length));
            assertThat(whole.logBytes()).isEqualTo(all);
            assertThat(whole.named("status")).extracting(SseClient.Event::data)
                    .containsExactly("{\"status\":\"failed\"}");
            assertThat(whole.named("end")).extracting(SseClient.Event::id)
                    .containsExactly(Long.toString(all.length));
        }
        // Resuming at the very end of a finished log: nothing more, the end at once.
        try (SseClient atEnd = follow(Map.of("Last-Event-ID", Integer.toString(all.length)))) {
            atEnd.awaitEnded(WAIT);
            assertThat(atEnd.logBytes()).isEmpty();
            assertThat(atEnd.named("end")).hasSize(1);
        }
    }

    @Test
    void anIdleFollowGetsCommentHeartbeats() throws Exception {
        try (SseClient client = follow(Map.of())) {
            client.awaitEvent(e -> e.event().equals("status"), WAIT);
            await().atMost(WAIT).until(() -> client.comments.size() >= 2);
            assertThat(client.comments).allMatch("heartbeat"::equals);
            assertThat(client.ended).isFalse();
        }
    }

    @Test
    void refusalsAreTheTracesOwnAndBadResumePointsAreClientErrors() throws Exception {
        append("hello\n".getBytes(StandardCharsets.UTF_8));
        String stranger = strangerToken();
        // Without a token, with a token that sees nothing, for a job that does not exist: what the plain trace says.
        for (Map.Entry<String, String> who : List.of(Map.entry("none", ""), Map.entry("stranger", stranger),
                Map.entry("admin", ADMIN_TOKEN))) {
            for (String path : List.of(tracePath(), "/api/v4/projects/" + project + "/jobs/999999/trace",
                    "/api/v4/projects/999999/jobs/" + job + "/trace")) {
                if (who.getKey().equals("admin") && path.equals(tracePath())) {
                    continue;
                }
                Map<String, String> headers = who.getValue().isEmpty() ? Map.of()
                        : Map.of("PRIVATE-TOKEN", who.getValue());
                try (SseClient sse = SseClient.open(base, path, headers, true)) {
                    int plain = plainStatus(path, who.getValue());
                    assertThat(sse.status).as(who.getKey() + " " + path).isEqualTo(plain).isBetween(400, 499);
                    assertThat(new String(sse.errorBody, StandardCharsets.UTF_8)).startsWith("{");
                }
            }
        }
        try (SseClient badId = follow(Map.of("Last-Event-ID", "abc"));
             SseClient negative = follow("?offset=-1", Map.of());
             SseClient pastEnd = follow(Map.of("Last-Event-ID", "1000"))) {
            assertThat(badId.status).isEqualTo(400);
            assertThat(new String(badId.errorBody, StandardCharsets.UTF_8)).contains("Last-Event-ID is invalid");
            assertThat(negative.status).isEqualTo(400);
            assertThat(pastEnd.status).isEqualTo(416);
        }
        // Without the Accept header the route is still the plain trace.
        Api.Reply plain = api.admin("GET", "/projects/" + project + "/jobs/" + job + "/trace", null);
        assertThat(plain.header("Content-Type")).isEqualTo("text/plain");
        assertThat(plain.text()).isEqualTo("hello\n");
    }

    private int plainStatus(String path, String token) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + path)).GET();
        if (!token.isEmpty()) {
            request.header("PRIVATE-TOKEN", token);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String strangerToken() throws Exception {
        long id = api.adminExpect("POST", "/users", "username=stranger&name=stranger&email=stranger%40example.com",
                201).get("id").asLong();
        return api.adminExpect("POST", "/users/" + id + "/personal_access_tokens", "name=t&scopes%5B%5D=api", 201)
                .get("token").asText();
    }
}
