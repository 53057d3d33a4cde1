package io.jobyard.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jobyard.bootstrap.e2e.HttpApi.Response;
import io.jobyard.bootstrap.e2e.ScriptedRunner.RunningJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's golden test: the whole {@code POST /jobs/request} answer for a fixed pipeline, every key, value and
 * order, against {@code golden/job-request-*.json} — GitLab's {@code Entities::Ci::JobRequest::Response} as GitLab 18.0
 * would build it for the same pipeline (reviewed field by field against {@code lib/api/entities/ci/job_request/*.rb},
 * {@code Ci::BuildRunnerPresenter}, {@code Ci::Build#persisted_variables}, {@code Gitlab::Ci::Variables::Builder},
 * {@code Project#predefined_variables} and {@code Builder::Pipeline}), with the few documented departures of a
 * server without repositories. The job token, the one random value, reads {@code <job-token>}. Two jobs: one that
 * collects artifacts and a report, and one with an image, services, scripts and a dependency.
 */
class JobRequestGoldenTest {
    private static final String CI_CONFIG = """
            stages: [build, test]
            variables:
              GLOBAL: everywhere
            compile:
              stage: build
              script: [make]
              artifacts:
                name: binaries
                paths: [out/]
                exclude: [out/*.tmp]
                expire_in: 1 week
                reports:
                  junit: junit.xml
            rspec 1/2:
              stage: test
              image: ruby:3.3
              services: [postgres:16]
              needs: [compile]
              variables:
                RAILS_ENV: test
              before_script: [bundle install]
              script: [bundle exec rspec]
              after_script: [cleanup]
              timeout: 30 minutes
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
    void the_job_request_answer_for_a_fixed_pipeline_is_gitlabs_field_by_field() throws IOException {
        Response project = api.json("POST", "/projects", admin, Map.of("name", "App", "path", "app",
                "namespace_path", "acme", "visibility", "internal", "description", "The app, built"));
        assertThat(project.status()).isEqualTo(201);
        ScriptedRunner runner = ScriptedRunner.create(api, admin, "golden runner");
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("ref", "feature/Login_Page");
        pipeline.put("sha", "5f923865dde3436854e9ceb9cdb7815618d4e849");
        pipeline.put("before_sha", "0123456789abcdef0123456789abcdef01234567");
        pipeline.put("message", "Fix the login page\n\nIt lost its button.\n");
        pipeline.put("author_name", "Ada Lovelace");
        pipeline.put("author_email", "ada@example.com");
        pipeline.put("timestamp", "2026-03-01T20:15:30+01:00");
        pipeline.put("ci_config", CI_CONFIG);
        pipeline.put("variables", List.of(Map.of("key", "DEPLOY", "value", "no"),
                Map.of("key", "SETTINGS", "value", "a=b", "variable_type", "file")));
        Response created = api.json("POST", "/projects/acme%2Fapp/pipeline", admin, pipeline);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        server.clock().advance(Duration.ofSeconds(3));
        Response compileAnswer = runner.poll();
        assertThat(compileAnswer.status()).isEqualTo(201);
        assertGolden(compileAnswer, "golden/job-request-compile.json");
        JsonNode compilePayload = compileAnswer.json();
        RunningJob compile = runner.new RunningJob(compilePayload.get("id").asLong(),
                compilePayload.get("token").asText(), compilePayload);
        assertThat(compile.appendTrace("built\n").status()).isEqualTo(202);
        assertThat(compile.uploadArtifact("archive", "zip", "artifacts.zip", new byte[] {'P', 'K', 5, 6,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, null).status()).isEqualTo(201);
        server.clock().advance(Duration.ofSeconds(10));
        assertThat(compile.succeed().status()).isEqualTo(200);
        server.clock().advance(Duration.ofSeconds(5));

        Response answer = runner.poll();
        assertThat(answer.status()).isEqualTo(201);
        assertGolden(answer, "golden/job-request-rspec.json");
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
    }

    private static void assertGolden(Response answer, String resource) throws IOException {
        String token = answer.json().get("token").asText();
        String actual = pretty(answer.text().replace(token, "<job-token>"));
        String expected = golden(resource);
        if (!actual.equals(expected)) {
            Path target = Path.of("target", Path.of(resource).getFileName().toString() + ".actual");
            Files.writeString(target, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as(resource).isEqualTo(expected);
    }

    private static String pretty(String json) {
        try {
            JsonNode tree = HttpApi.JSON.readTree(json);
            return HttpApi.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String golden(String resource) throws IOException {
        try (InputStream in = JobRequestGoldenTest.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
