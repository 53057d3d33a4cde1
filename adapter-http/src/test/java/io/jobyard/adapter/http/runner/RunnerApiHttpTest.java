package io.jobyard.adapter.http.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A runner's conversation with the runner API over HTTP, against the real services on in-memory ports. */
class RunnerApiHttpTest {
    private static final String BOUNDARY = "----jobyard-test-boundary";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private RunnerWorld world;

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void a_runner_registers_runs_a_two_stage_pipeline_and_downloads_its_dependency() throws Exception {
        world = new RunnerWorld();
        HttpResponse<byte[]> created = send(json("POST", "/user/runners",
                "{\"runner_type\":\"instance_type\",\"description\":\"shared\",\"tag_list\":\"\"}")
                .header("PRIVATE-TOKEN", "pat-root"));
        assertThat(created.statusCode()).isEqualTo(201);
        assertJsonHeaders(created);
        String runnerToken = body(created).get("token").asText();
        assertThat(runnerToken).startsWith("glrt-");
        assertThat(body(created).has("token_expires_at")).isTrue();

        HttpResponse<byte[]> verified = send(json("POST", "/runners/verify", tokenJson(runnerToken)));
        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(body(verified).get("id").asLong()).isEqualTo(body(created).get("id").asLong());

        Pipeline pipeline = world.buildAndTest();

        // build: picked up, logged in two appends (one at a stale offset), archive uploaded, reported successful
        HttpResponse<byte[]> picked = send(json("POST", "/jobs/request", tokenJson(runnerToken)));
        assertThat(picked.statusCode()).isEqualTo(201);
        assertJsonHeaders(picked);
        JsonNode build = body(picked);
        long buildId = build.get("id").asLong();
        String buildToken = build.get("token").asText();
        assertThat(build.at("/job_info/name").asText()).isEqualTo("build");
        assertThat(build.at("/job_info/pipeline_id").asLong()).isEqualTo(pipeline.id().value());
        assertThat(variable(build, "CI_JOB_ID")).isEqualTo(Long.toString(buildId));
        assertThat(build.at("/steps/0/name").asText()).isEqualTo("script");
        assertThat(build.get("dependencies")).isEmpty();
        assertThat(keys(build)).containsExactly("id", "token", "allow_git_fetch", "job_info", "git_info",
                "runner_info", "variables", "steps", "image", "services", "artifacts", "cache", "credentials",
                "features", "dependencies");
        assertThat(keys(build.at("/variables/0"))).containsExactly("key", "value", "public", "masked");
        assertThat(build.at("/runner_info").has("runner_session_url")).isTrue();
        assertThat(build.get("image").isNull()).isTrue();
        assertThat(world.repos.jobs().findById(JobId.of(buildId)).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);

        HttpResponse<byte[]> first = send(trace(buildId, buildToken, "0-5", "hello"));
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("Range")).hasValue("0-5");
        assertThat(first.headers().firstValue("Job-Status")).hasValue("running");
        assertThat(first.headers().firstValue("X-GitLab-Trace-Update-Interval")).hasValue("60");

        HttpResponse<byte[]> stale = send(trace(buildId, buildToken, "0-6", "again"));
        assertThat(stale.statusCode()).isEqualTo(416);
        assertThat(stale.headers().firstValue("Range")).hasValue("0-5");
        assertThat(text(stale)).isEqualTo("{\"error\":\"416 Range Not Satisfiable\"}");

        HttpResponse<byte[]> second = send(trace(buildId, buildToken, "5-11", " world"));
        assertThat(second.headers().firstValue("Range")).hasValue("0-11");
        try (BlobContent log = world.traces.read(JobId.of(buildId), ByteRange.ALL)) {
            assertThat(new String(log.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        }

        byte[] zip = zip("out/report.txt", "all green");
        HttpResponse<byte[]> uploaded = send(upload(buildId, buildToken, Map.of("artifact_type", "archive",
                "artifact_format", "zip", "expire_in", "1 week"), zip));
        assertThat(uploaded.statusCode()).isEqualTo(201);
        assertThat(text(uploaded)).isEqualTo("201");

        HttpResponse<byte[]> succeeded = send(json("PUT", "/jobs/" + buildId,
                "{\"token\":\"" + buildToken + "\",\"state\":\"success\"}"));
        assertThat(succeeded.statusCode()).isEqualTo(200);
        assertThat(text(succeeded)).isEqualTo("200");
        assertThat(succeeded.headers().firstValue("Job-Status")).hasValue("success");

        // test: the next stage, with build's archive as its dependency, downloaded with test's own token
        JsonNode test = body(send(json("POST", "/jobs/request", tokenJson(runnerToken))));
        assertThat(test.at("/job_info/name").asText()).isEqualTo("test");
        String testToken = test.get("token").asText();
        JsonNode dependency = test.at("/dependencies/0");
        assertThat(dependency.get("id").asLong()).isEqualTo(buildId);
        assertThat(dependency.get("name").asText()).isEqualTo("build");
        assertThat(dependency.at("/artifacts_file/size").asLong()).isEqualTo(zip.length);
        assertThat(dependency.get("token").asText()).isEqualTo(testToken);

        HttpResponse<byte[]> download = send(HttpRequest.newBuilder(URI.create(
                world.api("/jobs/" + buildId + "/artifacts"))).header("JOB-TOKEN", testToken).GET());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(zip);
        HttpResponse<byte[]> byParam = send(HttpRequest.newBuilder(URI.create(
                world.api("/jobs/" + buildId + "/artifacts?token=" + testToken))).GET());
        assertThat(byParam.body()).isEqualTo(zip);

        HttpResponse<byte[]> none = send(json("POST", "/jobs/request", tokenJson(runnerToken)));
        assertThat(none.statusCode()).isEqualTo(204);
        assertThat(none.headers().firstValue("X-GitLab-Last-Update")).isPresent();

        assertThat(send(json("DELETE", "/runners", tokenJson(runnerToken))).statusCode()).isEqualTo(204);
        assertThat(send(json("POST", "/runners/verify", tokenJson(runnerToken))).statusCode()).isEqualTo(403);
    }

    @Test
    void refusals_carry_gitlabs_statuses_and_bodies() throws Exception {
        world = new RunnerWorld();
        String runnerToken = world.runners.create(io.jobyard.domain.access.Actor.UserActor.withFullAccess(world.admin),
                io.jobyard.application.port.in.runner.RunnersUseCase.NewRunner.instance("r", List.of())).token();
        world.buildAndTest();

        HttpResponse<byte[]> badRunner = send(json("POST", "/jobs/request", tokenJson("glrt-nope")));
        assertThat(badRunner.statusCode()).isEqualTo(403);
        assertThat(text(badRunner)).isEqualTo("{\"message\":\"403 Forbidden\"}");
        assertJsonHeaders(badRunner);

        HttpResponse<byte[]> noRunnerToken = send(json("POST", "/jobs/request", "{}"));
        assertThat(noRunnerToken.statusCode()).isEqualTo(400);
        assertThat(text(noRunnerToken)).isEqualTo("{\"error\":\"token is missing\"}");

        JsonNode build = body(send(json("POST", "/jobs/request", tokenJson(runnerToken))));
        long buildId = build.get("id").asLong();
        String buildToken = build.get("token").asText();

        HttpResponse<byte[]> noToken = send(json("PUT", "/jobs/" + buildId, "{\"state\":\"success\"}"));
        assertThat(noToken.statusCode()).isEqualTo(400);
        assertThat(text(noToken)).isEqualTo("{\"error\":\"token is missing\"}");

        HttpResponse<byte[]> wrongToken = send(json("PUT", "/jobs/" + buildId,
                "{\"token\":\"not-it\",\"state\":\"success\"}"));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(text(wrongToken)).isEqualTo("{\"message\":\"403 Forbidden\"}");
        assertThat(wrongToken.headers().firstValue("Job-Status")).isEmpty();

        HttpResponse<byte[]> unknownState = send(json("PUT", "/jobs/" + buildId,
                "{\"token\":\"" + buildToken + "\",\"state\":\"dancing\"}"));
        assertThat(unknownState.statusCode()).isEqualTo(400);
        assertThat(text(unknownState)).isEqualTo("400");

        HttpResponse<byte[]> noRange = send(HttpRequest.newBuilder(URI.create(world.api("/jobs/" + buildId + "/trace")))
                .header("JOB-TOKEN", buildToken).method("PATCH", BodyPublishers.ofString("log")));
        assertThat(noRange.statusCode()).isEqualTo(400);
        assertThat(text(noRange)).isEqualTo("{\"error\":\"400 Missing header Content-Range\"}");

        HttpResponse<byte[]> tooLong = send(trace(buildId, buildToken, "0-100", "x".repeat(100)));
        assertThat(tooLong.statusCode()).isEqualTo(403);
        assertThat(text(tooLong)).isEqualTo("{\"error\":\"403 Forbidden\"}");

        // the job was dropped for its log size: the runner is told to stop, with the status
        HttpResponse<byte[]> afterDrop = send(json("PUT", "/jobs/" + buildId,
                "{\"token\":\"" + buildToken + "\",\"state\":\"running\"}"));
        assertThat(afterDrop.statusCode()).isEqualTo(403);
        assertThat(text(afterDrop)).isEqualTo("{\"message\":\"403 Forbidden - Job is not processing on runner\"}");
        assertThat(afterDrop.headers().firstValue("Job-Status")).hasValue("failed");

        HttpResponse<byte[]> badId = send(json("PUT", "/jobs/abc", "{\"token\":\"x\",\"state\":\"success\"}"));
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(text(badId)).isEqualTo("{\"error\":\"id is invalid\"}");

        // An upload is authorized before its body is read (Workhorse's /artifacts/authorize): the dropped job's is
        // refused as such, whatever its body; the body checks below need a job that still runs.
        HttpResponse<byte[]> droppedUpload = send(upload(buildId, buildToken, Map.of(), new byte[16]));
        assertThat(droppedUpload.statusCode()).isEqualTo(403);
        assertThat(text(droppedUpload)).isEqualTo("{\"message\":\"403 Forbidden - Job is not processing on runner\"}");
        world.buildAndTest();
        JsonNode uploading = body(send(json("POST", "/jobs/request", tokenJson(runnerToken))));
        long uploadId = uploading.get("id").asLong();
        String uploadToken = uploading.get("token").asText();

        HttpResponse<byte[]> noFile = send(json("POST", "/jobs/" + uploadId + "/artifacts", "{}")
                .header("JOB-TOKEN", uploadToken));
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(text(noFile)).isEqualTo("{\"error\":\"file is missing\"}");

        HttpResponse<byte[]> torn = send(HttpRequest.newBuilder(
                        URI.create(world.api("/jobs/" + uploadId + "/artifacts")))
                .header("JOB-TOKEN", uploadToken).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(BodyPublishers.ofString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"")));
        assertThat(torn.statusCode()).isEqualTo(400);
        assertThat(text(torn)).isEqualTo("{\"message\":\"400 Bad request - Unreadable multipart body\"}");
        assertJsonHeaders(torn);

        // Undertow's boundary parsing throws on an empty quoted value (found by fuzzing the standalone server)
        HttpResponse<byte[]> noBoundary = send(HttpRequest.newBuilder(URI.create(world.api("/jobs/" + uploadId
                        + "/artifacts"))).header("JOB-TOKEN", uploadToken)
                .header("Content-Type", "multipart/form-data; boundary=")
                .POST(BodyPublishers.ofString("--\r\n")));
        assertThat(noBoundary.statusCode()).isEqualTo(400);
        assertThat(text(noBoundary)).isEqualTo("{\"message\":\"400 Bad request - Unreadable multipart body\"}");

        HttpResponse<byte[]> tooBig = send(upload(uploadId, uploadToken, Map.of(),
                new byte[(int) RunnerWorld.MAX_UPLOAD_BYTES + 1]));
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(text(tooBig)).isEqualTo("{\"message\":\"file size has reached maximum size limit\"}");
        // the fields are held in memory, so they have a limit of their own (64 KiB together)
        HttpResponse<byte[]> fieldsTooBig = send(upload(uploadId, uploadToken,
                Map.of("expire_in", "1 week " + "x".repeat(70_000)), new byte[16]));
        assertThat(fieldsTooBig.statusCode()).isEqualTo(413);
        assertThat(text(fieldsTooBig)).isEqualTo("{\"message\":\"413 Request Entity Too Large\"}");

        HttpResponse<byte[]> anonymousCreate = send(json("POST", "/user/runners",
                "{\"runner_type\":\"instance_type\"}"));
        assertThat(anonymousCreate.statusCode()).isEqualTo(401);
        assertThat(text(anonymousCreate)).isEqualTo("{\"message\":\"401 Unauthorized\"}");

        HttpResponse<byte[]> unknownPath = send(json("POST", "/jobs/request/more", "{}"));
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(text(unknownPath)).isEqualTo("{\"error\":\"404 Not Found\"}");

        HttpResponse<byte[]> wrongMethod = send(json("DELETE", "/jobs/request", "{}"));
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("OPTIONS, POST");
    }

    @Test
    void updating_a_job_requires_the_token_parameter_and_ignores_the_old_trace_parameter() throws Exception {
        world = new RunnerWorld();
        String runnerToken = world.runners.create(io.jobyard.domain.access.Actor.UserActor.withFullAccess(world.admin),
                io.jobyard.application.port.in.runner.RunnersUseCase.NewRunner.instance("r", List.of())).token();
        world.buildAndTest();
        JsonNode build = body(send(json("POST", "/jobs/request", tokenJson(runnerToken))));
        long buildId = build.get("id").asLong();
        String buildToken = build.get("token").asText();
        assertThat(send(trace(buildId, buildToken, "0-5", "built\n")).statusCode()).isEqualTo(202);

        // GitLab's PUT /jobs/:id `requires :token`: the JOB-TOKEN header the other job routes accept is not enough.
        HttpResponse<byte[]> headerOnly = send(json("PUT", "/jobs/" + buildId, "{\"state\":\"success\"}")
                .header("JOB-TOKEN", buildToken));
        assertThat(headerOnly.statusCode()).isEqualTo(400);
        assertThat(text(headerOnly)).isEqualTo("{\"error\":\"token is missing\"}");
        assertThat(world.repos.jobs().findById(JobId.of(buildId)).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);

        // `trace` is no declared parameter (runners before 15.0 sent the whole log with it): it changes nothing.
        HttpResponse<byte[]> withTrace = send(json("PUT", "/jobs/" + buildId, "{\"token\":\"" + buildToken
                + "\",\"state\":\"success\",\"trace\":\"a whole other log\\n\"}"));
        assertThat(withTrace.statusCode()).isEqualTo(200);
        assertThat(text(withTrace)).isEqualTo("200");
        // The job's log as served (archived now that the job ended), not the `trace` parameter.
        try (var log = world.services.traceReader().logOf(JobId.of(buildId)).open(ByteRange.ALL).stream()) {
            assertThat(new String(log.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("built\n");
        }
    }

    @Test
    void legacy_registration_answers_as_gitlab_does_with_registration_tokens_disabled() throws Exception {
        world = new RunnerWorld();

        HttpResponse<byte[]> missing = send(json("POST", "/runners", "{\"description\":\"old\"}"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(text(missing)).isEqualTo("{\"error\":\"token is missing\"}");

        HttpResponse<byte[]> registrationToken = send(json("POST", "/runners", tokenJson("GR1348941aB3dE5fG7hJ9kL")));
        assertThat(registrationToken.statusCode()).isEqualTo(410);
        assertThat(text(registrationToken))
                .isEqualTo("{\"message\":\"410 Gone - runner registration disallowed\"}");
        assertJsonHeaders(registrationToken);

        for (String other : new String[] {"", "glrt-not-a-registration-token", "GR1348941"}) {
            HttpResponse<byte[]> bad = send(json("POST", "/runners", tokenJson(other)));
            assertThat(bad.statusCode()).as(other).isEqualTo(403);
            assertThat(text(bad)).isEqualTo("{\"message\":\"403 Forbidden - invalid token supplied\"}");
        }
        assertThat(world.repos.runners().findById(world.repos.runners().nextId())).isEmpty();
    }

    @Test
    void paths_without_a_route_go_to_the_hosts_fallback() throws Exception {
        world = new RunnerWorld((w, api) -> api.build().handler(exchange -> {
            exchange.setStatusCode(418);
            exchange.endExchange();
        }));
        assertThat(send(json("GET", "/projects/1/jobs", "")).statusCode()).isEqualTo(418);
        assertThat(send(json("POST", "/jobs/request", "{\"token\":\"x\"}")).statusCode()).isEqualTo(403);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    @Test
    void an_administrator_resets_a_leaked_runner_token_or_deletes_the_runner_and_the_old_token_stops_at_once()
            throws Exception {
        world = new RunnerWorld();
        JsonNode created = body(send(json("POST", "/user/runners", "{\"runner_type\":\"instance_type\"}")
                .header("PRIVATE-TOKEN", "pat-root")));
        long id = created.get("id").asLong();
        String leaked = created.get("token").asText();

        HttpResponse<byte[]> byMaintainer = send(json("POST", "/runners/" + id + "/reset_authentication_token", "{}")
                .header("PRIVATE-TOKEN", "pat-max"));
        assertThat(byMaintainer.statusCode()).isEqualTo(403);
        assertThat(text(byMaintainer)).isEqualTo("{\"message\":\"403 Forbidden - No access granted\"}");
        assertThat(send(json("POST", "/runners/verify", tokenJson(leaked))).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> reset = send(json("POST", "/runners/" + id + "/reset_authentication_token", "{}")
                .header("PRIVATE-TOKEN", "pat-root"));
        assertThat(reset.statusCode()).isEqualTo(201);
        assertJsonHeaders(reset);
        assertThat(keys(body(reset))).containsExactly("token", "token_expires_at");
        String renewed = body(reset).get("token").asText();
        assertThat(renewed).startsWith("glrt-").isNotEqualTo(leaked);
        assertThat(body(reset).get("token_expires_at").isNull()).isTrue();
        assertThat(send(json("POST", "/runners/verify", tokenJson(leaked))).statusCode()).isEqualTo(403);
        assertThat(send(json("POST", "/jobs/request", tokenJson(leaked))).statusCode()).isEqualTo(403);
        assertThat(send(json("POST", "/runners/verify", tokenJson(renewed))).statusCode()).isEqualTo(200);

        assertThat(text(send(json("DELETE", "/runners/999", "{}").header("PRIVATE-TOKEN", "pat-root"))))
                .isEqualTo("{\"message\":\"404 Not found\"}");
        assertThat(text(send(json("DELETE", "/runners/first", "{}").header("PRIVATE-TOKEN", "pat-root"))))
                .isEqualTo("{\"error\":\"id is invalid\"}");
        assertThat(send(json("DELETE", "/runners/" + id, "{}")).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> deleted = send(json("DELETE", "/runners/" + id, "{}").header("PRIVATE-TOKEN", "pat-root"));
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(send(json("POST", "/runners/verify", tokenJson(renewed))).statusCode()).isEqualTo(403);
    }

    private HttpRequest.Builder json(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(world.api(path)))
                .header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    }

    private HttpRequest.Builder trace(long job, String token, String range, String text) {
        return HttpRequest.newBuilder(URI.create(world.api("/jobs/" + job + "/trace")))
                .header("JOB-TOKEN", token).header("Content-Range", range)
                .header("Content-Type", "text/plain")
                .method("PATCH", BodyPublishers.ofString(text));
    }

    /** As gitlab-runner uploads: the job token in {@code JOB-TOKEN}, where Workhorse's authorize step reads it. */
    private HttpRequest.Builder upload(long job, String token, Map<String, String> fields, byte[] file) {
        List<byte[]> parts = new ArrayList<>();
        fields.forEach((name, value) -> parts.add(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        parts.add(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"artifacts.zip\""
                + "\r\nContent-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        parts.add(file);
        parts.add(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(world.api("/jobs/" + job + "/artifacts")))
                .header("JOB-TOKEN", token)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(BodyPublishers.ofByteArrays(parts));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String tokenJson(String token) {
        return "{\"token\":\"" + token + "\"}";
    }

    private static JsonNode body(HttpResponse<byte[]> response) {
        return Json.tree(response.body());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static String variable(JsonNode payload, String key) {
        String value = null;
        for (JsonNode variable : payload.get("variables")) {
            if (variable.get("key").asText().equals(key)) {
                value = variable.get("value").asText();
            }
        }
        return value;
    }

    private static void assertJsonHeaders(HttpResponse<byte[]> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
    }

    private static byte[] zip(String name, String content) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(content.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
