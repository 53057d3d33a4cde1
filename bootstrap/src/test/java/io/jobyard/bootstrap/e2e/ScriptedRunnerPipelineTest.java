package io.jobyard.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.bootstrap.e2e.HttpApi.Response;
import io.jobyard.bootstrap.e2e.ScriptedRunner.RunningJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, "a scripted runner": a pipeline made over HTTP from {@code .gitlab-ci.yml}, run by a runner that speaks
 * gitlab-runner's protocol over HTTP, then read back through the Jobs API as a GitLab client would — statuses, stages,
 * retried jobs, allowed failures, artifacts, logs, durations and the pipeline's status. The server's clock is moved by
 * hand, so every time and duration is exact and the delayed job starts when the sweep is told it is due.
 */
class ScriptedRunnerPipelineTest {
    private static final String SHA = "5f923865dde3436854e9ceb9cdb7815618d4e849";
    private static final String CI_CONFIG = """
            stages: [build, test, deploy]
            variables:
              GREETING: hello
            compile:
              stage: build
              script: [make]
              artifacts:
                name: binaries
                paths: [out/]
                expire_in: 1 week
            lint:
              stage: build
              script: [make lint]
              allow_failure: true
            unit:
              stage: test
              needs: [compile]
              script: [make test]
              artifacts:
                when: always
                reports:
                  junit: junit.xml
            flaky:
              stage: test
              retry: 2
              script: [make integration]
            approve:
              stage: deploy
              when: manual
              script: [make approve]
            publish:
              stage: deploy
              when: delayed
              start_in: 30 minutes
              dependencies: [compile]
              script: [make publish]
            """;

    @TempDir
    Path dir;

    private ServerUnderTest server;
    private HttpApi api;
    private String admin;

    @BeforeEach
    void start() {
        server = new ServerUnderTest(dir);
        api = server.api();
        admin = server.adminToken();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRunnerDrivesAThreeStagePipelineAndTheJobsApiShowsWhatGitLabWould() {
        long project = api.json("POST", "/projects", admin, Map.of("name", "demo", "namespace_path", "acme",
                "visibility", "private")).json().get("id").asLong();
        ScriptedRunner runner = ScriptedRunner.create(api, admin, "e2e runner");
        Response created = api.json("POST", "/projects/" + project + "/pipeline", admin,
                Map.of("ref", "main", "sha", SHA, "ci_config", CI_CONFIG, "title", "Ship it"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long pipeline = created.json().get("id").asLong();
        assertThat(created.json().get("status").asText()).isEqualTo("pending");

        // The first stage is pending; everything after it waits, created.
        assertThat(statuses(project)).containsExactly(
                entry("publish", "created"), entry("approve", "created"), entry("flaky", "created"),
                entry("unit", "created"), entry("lint", "pending"), entry("compile", "pending"));

        server.clock().advance(Duration.ofSeconds(2));
        RunningJob compile = runner.requestJob().orElseThrow();
        assertThat(compile.name()).isEqualTo("compile");
        assertThat(compile.payload.at("/job_info/stage").asText()).isEqualTo("build");
        assertThat(compile.payload.at("/git_info/sha").asText()).isEqualTo(SHA);
        assertThat(compile.payload.at("/artifacts/0/artifact_type").asText()).isEqualTo("archive");
        assertThat(compile.payload.at("/artifacts/0/expire_in").asText()).isEqualTo("1 week");
        RunningJob lint = runner.requestJob().orElseThrow();
        assertThat(lint.name()).isEqualTo("lint");

        // The log arrives in several patches; one at a stale offset is refused with the length to resend from.
        String header = "Running with gitlab-runner 17.11.0 (0f67ff19)\n";
        String clone = "$ git clone https://gitlab-ci-token:" + compile.token + "@jobyard.test/acme/demo.git\n";
        String build = "$ make\nbuilt out/app.txt\n";
        Response first = compile.appendTrace(header);
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.header("Range")).isEqualTo("0-" + header.length());
        assertThat(first.header("Job-Status")).isEqualTo("running");
        assertThat(compile.appendTrace(clone).status()).isEqualTo(202);
        long length = header.length() + clone.length();
        Response stale = compile.patchTrace(header.length(), build);
        assertThat(stale.status()).isEqualTo(416);
        assertThat(stale.header("Range")).isEqualTo("0-" + length);
        assertThat(stale.text()).isEqualTo("{\"error\":\"416 Range Not Satisfiable\"}");
        assertThat(compile.appendTrace(build).header("Range")).isEqualTo("0-" + (length + build.length()));

        byte[] binaries = zip(Map.of("out/app.txt", "app v1\n", "out/lib/util.txt", "util\n"));
        Response upload = compile.uploadArtifact("archive", "zip", "artifacts.zip", binaries,
                compile.payload.at("/artifacts/0/expire_in").asText());
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
        server.clock().advance(Duration.ofSeconds(10));
        Response done = compile.succeed();
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.header("Job-Status")).isEqualTo("success");
        Response late = compile.appendTrace("too late\n");
        assertThat(late.status()).isEqualTo(403);
        assertThat(late.header("Job-Status")).isEqualTo("success");

        // unit needs only compile: it starts while lint, in compile's stage, still runs; flaky waits for the stage.
        RunningJob unit = runner.requestJob().orElseThrow();
        assertThat(unit.name()).isEqualTo("unit");
        assertThat(job(project, compile.id).get("status").asText()).isEqualTo("success");
        assertThat(status(project, "flaky")).isEqualTo("created");
        JsonNode dependency = unit.payload.at("/dependencies/0");
        assertThat(unit.payload.get("dependencies")).hasSize(1);
        assertThat(dependency.get("id").asLong()).isEqualTo(compile.id);
        assertThat(dependency.get("name").asText()).isEqualTo("compile");
        assertThat(dependency.at("/artifacts_file/filename").asText()).isEqualTo("artifacts.zip");
        assertThat(dependency.at("/artifacts_file/size").asLong()).isEqualTo(binaries.length);
        Response downloaded = unit.downloadDependency(compile.id);
        assertThat(downloaded.status()).isEqualTo(200);
        assertThat(downloaded.body()).isEqualTo(binaries);
        assertThat(unit.appendTrace("$ make test\n3 tests, 0 failures\n").status()).isEqualTo(202);
        byte[] junit = gzip("<testsuites><testsuite name=\"unit\" tests=\"3\"/></testsuites>\n");
        assertThat(unit.uploadArtifact("junit", "gzip", "junit.xml.gz", junit, null).status()).isEqualTo(201);
        server.clock().advance(Duration.ofSeconds(20));
        assertThat(unit.succeed().status()).isEqualTo(200);

        // lint may fail: the stage completes and flaky starts.
        assertThat(lint.appendTrace("$ make lint\n2 warnings treated as errors\n").status()).isEqualTo(202);
        assertThat(lint.fail("script_failure", 1).status()).isEqualTo(200);

        // retry: 2 — the first failure is retried automatically, the retry succeeds.
        RunningJob flakyFirst = runner.requestJob().orElseThrow();
        assertThat(flakyFirst.name()).isEqualTo("flaky");
        assertThat(flakyFirst.appendTrace("$ make integration\nconnection reset\n").status()).isEqualTo(202);
        server.clock().advance(Duration.ofSeconds(3));
        assertThat(flakyFirst.fail("script_failure", 1).status()).isEqualTo(200);
        RunningJob flakySecond = runner.requestJob().orElseThrow();
        assertThat(flakySecond.name()).isEqualTo("flaky");
        assertThat(flakySecond.id).isGreaterThan(flakyFirst.id);
        assertThat(flakySecond.appendTrace("$ make integration\nok\n").status()).isEqualTo(202);
        server.clock().advance(Duration.ofSeconds(4));
        assertThat(flakySecond.succeed().status()).isEqualTo(200);

        // The deploy stage: approve waits for a person, publish for its time. Nothing to run yet.
        Response nothing = runner.poll();
        assertThat(nothing.status()).isEqualTo(204);
        assertThat(nothing.header("X-GitLab-Last-Update")).isNotBlank();
        assertThat(status(project, "approve")).isEqualTo("manual");
        assertThat(status(project, "publish")).isEqualTo("scheduled");
        server.clock().advance(Duration.ofMinutes(29));
        server.sweepOnce();
        assertThat(runner.poll().status()).isEqualTo(204);
        server.clock().advance(Duration.ofMinutes(1));
        server.sweepOnce();
        RunningJob publish = runner.requestJob().orElseThrow();
        assertThat(publish.name()).isEqualTo("publish");
        assertThat(publish.payload.get("dependencies")).extracting(d -> d.get("name").asText())
                .containsExactly("compile");
        assertThat(publish.downloadDependency(compile.id).body()).isEqualTo(binaries);
        assertThat(publish.appendTrace("$ make publish\n").status()).isEqualTo(202);
        server.clock().advance(Duration.ofSeconds(5));
        assertThat(publish.succeed().status()).isEqualTo(200);
        assertThat(runner.poll().status()).isEqualTo(204);

        assertWhatTheJobsApiShows(project, pipeline, binaries, junit, compile, header + clone + build);
    }

    private void assertWhatTheJobsApiShows(long project, long pipeline, byte[] binaries, byte[] junit,
                                           RunningJob compile, String compileLog) {
        // The project's list: every job, retried ones included, newest first.
        Response all = api.get("/projects/" + project + "/jobs", admin);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.header("X-Total")).isNull();
        List<JsonNode> jobs = list(all.json());
        assertThat(jobs).extracting(j -> j.get("name").asText() + ":" + j.get("stage").asText() + ":"
                        + j.get("status").asText() + ":" + j.get("allow_failure").asBoolean())
                .containsExactly(
                        "flaky:test:success:false",
                        "publish:deploy:success:false",
                        "approve:deploy:manual:true",
                        "flaky:test:failed:false",
                        "unit:test:success:false",
                        "lint:build:failed:true",
                        "compile:build:success:false");
        assertThat(jobs).extracting(j -> j.has("failure_reason") ? j.get("failure_reason").asText() : "-")
                .containsExactly("-", "-", "-", "script_failure", "-", "script_failure", "-");

        // The pipeline's list hides the retried job unless asked for it, and counts.
        Response latest = api.get("/projects/" + project + "/pipelines/" + pipeline + "/jobs?per_page=100", admin);
        assertThat(latest.header("X-Total")).isEqualTo("6");
        List<Long> allIds = jobs.stream().map(j -> j.get("id").asLong()).toList();
        long retriedId = allIds.get(3);
        assertThat(list(latest.json())).extracting(j -> j.get("id").asLong())
                .containsExactlyElementsOf(allIds.stream().filter(id -> id != retriedId).toList());
        Response withRetried = api.get("/projects/" + project + "/pipelines/" + pipeline
                + "/jobs?include_retried=true", admin);
        assertThat(withRetried.header("X-Total")).isEqualTo("7");
        assertThat(list(withRetried.json())).extracting(j -> j.get("id").asLong()).containsExactlyElementsOf(allIds);
        Response failedOnly = api.get("/projects/" + project + "/pipelines/" + pipeline
                + "/jobs?scope[]=failed&include_retried=true", admin);
        assertThat(list(failedOnly.json())).extracting(j -> j.get("name").asText()).containsExactly("flaky", "lint");

        // The pipeline passed: the allowed failure is a warning, the unplayed manual job does not block.
        assertThat(jobs).allSatisfy(j -> {
            assertThat(j.at("/pipeline/id").asLong()).isEqualTo(pipeline);
            assertThat(j.at("/pipeline/status").asText()).isEqualTo("success");
            assertThat(j.at("/pipeline/source").asText()).isEqualTo("api");
            assertThat(j.at("/commit/id").asText()).isEqualTo(SHA);
            assertThat(j.at("/commit/title").asText()).isEqualTo("Ship it");
            assertThat(j.get("ref").asText()).isEqualTo("main");
            assertThat(j.get("tag").asBoolean()).isFalse();
            assertThat(j.at("/user/username").asText()).isEqualTo("root");
        });

        // Times from the hand-moved clock: exact durations, none for the job that never ran.
        JsonNode compileJob = job(project, compile.id);
        assertThat(compileJob.get("created_at").asText()).isEqualTo("2026-03-02T09:00:00.000Z");
        assertThat(compileJob.get("started_at").asText()).isEqualTo("2026-03-02T09:00:02.000Z");
        assertThat(compileJob.get("finished_at").asText()).isEqualTo("2026-03-02T09:00:12.000Z");
        assertThat(compileJob.get("duration").asDouble()).isEqualTo(10.0);
        assertThat(compileJob.get("queued_duration").asDouble()).isEqualTo(2.0);
        assertThat(compileJob.at("/runner/description").asText()).isEqualTo("e2e runner");
        assertThat(compileJob.get("web_url").asText()).isEqualTo("http://jobyard.test/acme/demo/-/jobs/" + compile.id);
        assertThat(jobs.get(4).get("duration").asDouble()).as("unit").isEqualTo(20.0);
        assertThat(jobs.get(3).get("duration").asDouble()).as("flaky, first try").isEqualTo(3.0);
        assertThat(jobs.get(0).get("duration").asDouble()).as("flaky, retry").isEqualTo(4.0);
        assertThat(jobs.get(1).get("duration").asDouble()).as("publish").isEqualTo(5.0);
        assertThat(jobs.get(1).get("queued_duration").asDouble()).as("publish: queued when due").isEqualTo(0.0);
        JsonNode approve = jobs.get(2);
        assertThat(approve.get("started_at").isNull()).isTrue();
        assertThat(approve.get("duration").isNull()).isTrue();
        assertThat(approve.get("queued_duration").isNull()).isTrue();
        assertThat(approve.get("runner").isNull()).isTrue();

        // Artifacts: the archive with its expiry, the junit report, and every job's archived log.
        assertThat(compileJob.get("artifacts_file").toString())
                .isEqualTo("{\"filename\":\"artifacts.zip\",\"size\":" + binaries.length + "}");
        assertThat(compileJob.get("artifacts_expire_at").asText()).isEqualTo("2026-03-09T09:00:02.000Z");
        assertThat(artifacts(compileJob)).containsExactly(
                "archive:artifacts.zip:zip:" + binaries.length,
                "trace:job.log:raw:" + compileLog.length());
        JsonNode unitJob = jobs.get(4);
        assertThat(unitJob.has("artifacts_file")).isFalse();
        assertThat(artifacts(unitJob)).containsExactly(
                "junit:junit.xml.gz:gzip:" + junit.length,
                "trace:job.log:raw:" + "$ make test\n3 tests, 0 failures\n".length());
        assertThat(artifacts(approve)).isEmpty();

        // The log as stored: the job token masked, the refused patch not written.
        Response trace = api.get("/projects/" + project + "/jobs/" + compile.id + "/trace", admin);
        assertThat(trace.status()).isEqualTo(200);
        assertThat(trace.header("Content-Type")).startsWith("text/plain");
        String masked = compileLog.replace(compile.token, "x".repeat(compile.token.length()));
        assertThat(trace.text()).isEqualTo(masked).doesNotContain(compile.token)
                .contains("https://gitlab-ci-token:xxxxxxxx");

        // The archive, one file of it, and the archive of the ref's latest successful pipeline.
        Response archive = api.get("/projects/" + project + "/jobs/" + compile.id + "/artifacts", admin);
        assertThat(archive.status()).isEqualTo(200);
        assertThat(archive.body()).isEqualTo(binaries);
        assertThat(archive.header("Content-Disposition")).startsWith("attachment; filename=\"artifacts.zip\"");
        Response file = api.get("/projects/" + project + "/jobs/" + compile.id + "/artifacts/out/lib/util.txt", admin);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.text()).isEqualTo("util\n");
        assertThat(file.header("Content-Disposition")).startsWith("attachment; filename=\"util.txt\"");
        assertThat(api.get("/projects/" + project + "/jobs/" + compile.id + "/artifacts/out/none.txt", admin)
                .status()).isEqualTo(404);
        Response byRef = api.get("/projects/" + project + "/jobs/artifacts/main/download?job=compile", admin);
        assertThat(byRef.status()).isEqualTo(200);
        assertThat(byRef.body()).isEqualTo(binaries);
        Response noArchive = api.get("/projects/" + project + "/jobs/artifacts/main/download?job=unit", admin);
        assertThat(noArchive.status()).isEqualTo(404);
    }

    private JsonNode job(long project, long id) {
        Response job = api.get("/projects/" + project + "/jobs/" + id, admin);
        assertThat(job.status()).isEqualTo(200);
        return job.json();
    }

    private String status(long project, String name) {
        return list(api.get("/projects/" + project + "/jobs", admin).json()).stream()
                .filter(j -> j.get("name").asText().equals(name)).findFirst().orElseThrow()
                .get("status").asText();
    }

    private List<String> statuses(long project) {
        return list(api.get("/projects/" + project + "/jobs", admin).json()).stream()
                .map(j -> entry(j.get("name").asText(), j.get("status").asText())).toList();
    }

    private static String entry(String name, String status) {
        return name + "=" + status;
    }

    private static List<String> artifacts(JsonNode job) {
        return list(job.get("artifacts")).stream().map(a -> a.get("file_type").asText() + ":"
                + a.get("filename").asText() + ":" + a.get("file_format").asText() + ":" + a.get("size").asLong())
                .toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static byte[] zip(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : new LinkedHashMap<>(files).entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
