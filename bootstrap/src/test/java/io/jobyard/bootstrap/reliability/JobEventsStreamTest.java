package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.application.service.live.LiveLogSettings;
import io.jobyard.bootstrap.Jobyard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16, a project's job events over HTTP: {@code GET /projects/:id/jobs/events} tells each job status change as it
 * commits, GitLab's job hook payload as {@code data} and the project's event number as {@code id}, in order; a client
 * resumes from {@code Last-Event-ID}; one whose id was pruned (or never handed out) is told {@code reset} and goes on;
 * who may follow is who may list the project's jobs.
 */
class JobEventsStreamTest {
    private static final String ADMIN_TOKEN = "job-events-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private LiveServer live;
    private Jobyard jobyard;
    private Api api;
    private String base;
    private long project;
    private String runner;

    @BeforeEach
    void start() throws Exception {
        live = LiveServer.start(dir, ADMIN_TOKEN, "events", builder -> builder
                .liveLog(LiveLogSettings.DEFAULTS.withHeartbeat(Duration.ofMillis(300)))
                .eventPollInterval(Duration.ofMillis(100))
                // Everything older than a millisecond goes at the next sweep: how a client falls too far behind.
                .eventRetention(Duration.ofMillis(1)));
        jobyard = live.jobyard;
        api = live.api;
        base = live.base;
        project = live.project;
        runner = live.runner;
    }

    @AfterEach
    void stop() {
        live.close();
    }

    private String eventsPath() {
        return "/api/v4/projects/" + project + "/jobs/events";
    }

    private SseClient follow(Map<String, String> headers) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putIfAbsent("PRIVATE-TOKEN", ADMIN_TOKEN);
        return SseClient.open(base, eventsPath(), all, true);
    }

    private static JsonNode json(SseClient.Event event) throws Exception {
        return Api.JSON.readTree(event.data());
    }

    /** Runs the pipeline's first job to {@code state}, answering its id. */
    private long runOneJob(int sequence, String state) throws Exception {
        api.createPipeline(project, "build: {script: [make]}", sequence);
        JsonNode taken = api.requestJob(runner).json();
        long job = taken.get("id").asLong();
        assertThat(api.updateJob(job, taken.get("token").asText(), state).status()).isEqualTo(200);
        return job;
    }

    private static List<String> statusesOf(SseClient client, long job) throws Exception {
        List<String> statuses = new ArrayList<>();
        for (SseClient.Event event : client.named("job")) {
            JsonNode data = json(event);
            if (data.get("build_id").asLong() == job) {
                statuses.add(data.get("build_status").asText());
            }
        }
        return statuses;
    }

    @Test
    void eachStatusChangeArrivesInOrderAsTheJobHookPayloadNumberedByTheProject() throws Exception {
        try (SseClient client = follow(Map.of())) {
            assertThat(client.status).isEqualTo(200);
            assertThat(client.headers.get("content-type")).isEqualTo("text/event-stream");
            long job = runOneJob(1, "success");
            await().atMost(WAIT).until(() -> statusesOf(client, job).contains("success"));
            assertThat(statusesOf(client, job)).containsExactly("created", "pending", "running", "success");
            JsonNode last = json(client.named("job").get(client.named("job").size() - 1));
            assertThat(last.get("object_kind").asText()).isEqualTo("build");
            assertThat(last.get("project_id").asLong()).isEqualTo(project);
            long previous = 0;
            for (SseClient.Event event : client.named("job")) {
                long id = Long.parseLong(event.id());
                assertThat(id).isGreaterThan(previous);
                previous = id;
            }
        }
    }

    @Test
    void aClientResumesFromLastEventIdWithNothingLostOrRepeated() throws Exception {
        List<SseClient.Event> seen;
        try (SseClient first = follow(Map.of())) {
            long job = runOneJob(1, "failed");
            await().atMost(WAIT).until(() -> statusesOf(first, job).contains("failed"));
            seen = List.copyOf(first.named("job"));
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
        String resumeAfter = seen.get(1).id();
        try (SseClient resumed = follow(Map.of("Last-Event-ID", resumeAfter));
             SseClient byQuery = SseClient.open(base, eventsPath() + "?after=" + resumeAfter,
                     Map.of("PRIVATE-TOKEN", ADMIN_TOKEN), true)) {
            List<String> expected = seen.subList(2, seen.size()).stream().map(SseClient.Event::id).toList();
            for (SseClient client : List.of(resumed, byQuery)) {
                await().atMost(WAIT).until(() -> client.named("job").size() >= expected.size());
                assertThat(client.named("job")).extracting(SseClient.Event::id).containsExactlyElementsOf(expected);
                assertThat(client.named("reset")).isEmpty();
            }
            // ...and goes on live after what it caught up on.
            long next = runOneJob(2, "success");
            await().atMost(WAIT).until(() -> statusesOf(resumed, next).contains("success"));
            assertThat(statusesOf(resumed, next)).containsExactly("created", "pending", "running", "success");
        }
    }

    @Test
    void aClientWhoseLastEventWasPrunedOrNeverExistedIsToldResetAndGoesOn() throws Exception {
        runOneJob(1, "success");
        Thread.sleep(5); // older than the one-millisecond retention
        jobyard.sweepOnce();
        try (SseClient pruned = follow(Map.of("Last-Event-ID", "1"));
             SseClient future = follow(Map.of("Last-Event-ID", "999999"))) {
            for (SseClient client : List.of(pruned, future)) {
                SseClient.Event reset = client.awaitEvent(e -> e.event().equals("reset"), WAIT);
                assertThat(client.events.get(0)).isEqualTo(reset);
                assertThat(json(reset).get("last_event_id").asLong()).isEqualTo(Long.parseLong(reset.id()))
                        .isGreaterThan(1);
                assertThat(client.named("job")).isEmpty();
            }
            long next = runOneJob(2, "success");
            for (SseClient client : List.of(pruned, future)) {
                await().atMost(WAIT).until(() -> statusesOf(client, next).contains("success"));
                assertThat(statusesOf(client, next)).containsExactly("created", "pending", "running", "success");
                assertThat(Long.parseLong(client.named("job").get(0).id()))
                        .isGreaterThan(Long.parseLong(client.named("reset").get(0).id()));
            }
        }
    }

    @Test
    void whoMayFollowIsWhoMayListTheJobs() throws Exception {
        api.createPipeline(project, "build: {script: [make]}", 1);
        JsonNode taken = api.requestJob(runner).json();
        String jobToken = taken.get("token").asText();
        long other = api.createProject("acme", "other");
        api.createPipeline(other, "build: {script: [make]}", 2);
        String otherJobToken = api.requestJob(runner).json().get("token").asText();
        String stranger = strangerToken();
        List<Map<String, String>> callers = List.of(Map.of(), Map.of("PRIVATE-TOKEN", stranger),
                Map.of("JOB-TOKEN", jobToken), Map.of("JOB-TOKEN", otherJobToken),
                Map.of("PRIVATE-TOKEN", "glpat-not-a-token-at-all-0000"));
        List<Integer> seen = new ArrayList<>();
        for (Map<String, String> caller : callers) {
            try (SseClient sse = SseClient.open(base, eventsPath(), caller, true)) {
                int list = listStatus(caller);
                assertThat(sse.status).as(caller.toString()).isEqualTo(list);
                seen.add(sse.status);
            }
        }
        // Anonymous 401, a stranger 404 (the project cannot be discovered), the job's own token 200, another
        // project's job token 403, an unknown token 401: the jobs list's answers.
        assertThat(seen).containsExactly(401, 404, 200, 403, 401);
        try (SseClient bad = follow(Map.of("Last-Event-ID", "-3"))) {
            assertThat(bad.status).isEqualTo(400);
        }
    }

    private int listStatus(Map<String, String> headers) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/api/v4/projects/" + project + "/jobs")).GET();
        headers.forEach(request::header);
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
