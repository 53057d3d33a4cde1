package io.jobyard.adapter.http.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.port.in.runner.RunnersUseCase.NewRunner;
import io.jobyard.domain.access.Actor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /projects/:id/pipeline} with {@code .gitlab-ci.yml} text, chained in front of the runner API under one
 * prefix: the pipeline made over HTTP is what the runner then picks up.
 */
class PipelineApiHttpTest {
    private static final String CONFIG = """
            stages: [build, test]
            variables:
              GREETING: hello
            build:
              stage: build
              script: [make]
            test:
              stage: test
              script: [make test]
            """;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private RunnerWorld world;

    @BeforeEach
    void start() {
        world = new RunnerWorld((w, api) -> api.pipelines(w.pipelineUseCases()).build().handler());
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void a_pipeline_created_from_yaml_is_what_the_runner_picks_up() throws Exception {
        String sha = TestData.sha(7);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("ref", "main");
        request.put("sha", sha);
        request.put("ci_config", CONFIG);
        request.put("variables", List.of(Map.of("key", "EXTRA", "value", "x")));
        HttpResponse<byte[]> created = post("/projects/acme%2Fapp/pipeline", request, "pat-max");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode pipeline = Json.tree(created.body());
        assertThat(pipeline.get("sha").asText()).isEqualTo(sha);
        assertThat(pipeline.get("ref").asText()).isEqualTo("main");
        assertThat(pipeline.get("status").asText()).isEqualTo("pending");
        assertThat(pipeline.get("source").asText()).isEqualTo("api");
        assertThat(pipeline.get("tag").asBoolean()).isFalse();
        assertThat(pipeline.get("web_url").asText())
                .isEqualTo(world.base() + "/acme/app/-/pipelines/" + pipeline.get("id").asLong());
        assertThat(pipeline.at("/user/username").asText()).isEqualTo("max");
        assertThat(pipeline.get("before_sha").asText()).isEqualTo("0".repeat(40));
        assertThat(pipeline.has("finished_at")).isTrue();

        String runnerToken = world.runners.create(Actor.UserActor.withFullAccess(world.admin),
                NewRunner.instance("r", List.of())).token();
        HttpResponse<byte[]> picked = client.send(HttpRequest.newBuilder(URI.create(world.api("/jobs/request")))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"token\":\"" + runnerToken + "\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(picked.statusCode()).isEqualTo(201);
        JsonNode job = Json.tree(picked.body());
        assertThat(job.at("/job_info/name").asText()).isEqualTo("build");
        assertThat(job.at("/job_info/pipeline_id").asLong()).isEqualTo(pipeline.get("id").asLong());
        assertThat(job.at("/git_info/sha").asText()).isEqualTo(sha);
        assertThat(job.at("/steps/0/script/0").asText()).isEqualTo("make");
        assertThat(variable(job, "GREETING")).isEqualTo("hello");
        assertThat(variable(job, "EXTRA")).isEqualTo("x");
    }

    @Test
    void configurations_gitlab_refuses_are_400_with_the_first_error_under_base() throws Exception {
        HttpResponse<byte[]> unknownKey = post("/projects/" + world.project.id().value() + "/pipeline",
                Map.of("ref", "main", "sha", TestData.sha(1), "ci_config", "build:\n  script: [x]\n  foo: 1\n"),
                "pat-max");
        assertThat(unknownKey.statusCode()).isEqualTo(400);
        assertThat(text(unknownKey))
                .isEqualTo("{\"message\":{\"base\":[\"jobs:build config contains unknown keys: foo\"]}}");

        HttpResponse<byte[]> notYaml = post("/projects/acme%2Fapp/pipeline",
                Map.of("ref", "main", "sha", TestData.sha(1), "ci_config", "build: [unclosed"), "pat-max");
        assertThat(notYaml.statusCode()).isEqualTo(400);
        assertThat(Json.tree(notYaml.body()).at("/message/base/0").asText()).isNotEmpty();

        HttpResponse<byte[]> noConfig = post("/projects/acme%2Fapp/pipeline",
                Map.of("ref", "main", "sha", TestData.sha(1)), "pat-max");
        assertThat(noConfig.statusCode()).isEqualTo(400);
        assertThat(text(noConfig)).isEqualTo("{\"message\":{\"base\":[\"Missing CI config file\"]}}");

        HttpResponse<byte[]> badSha = post("/projects/acme%2Fapp/pipeline",
                Map.of("ref", "main", "sha", "HEAD", "ci_config", CONFIG), "pat-max");
        assertThat(text(badSha)).isEqualTo("{\"error\":\"sha is invalid\"}");

        HttpResponse<byte[]> anonymous = post("/projects/acme%2Fapp/pipeline",
                Map.of("ref", "main", "sha", TestData.sha(1), "ci_config", CONFIG), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(text(anonymous)).isEqualTo("{\"message\":\"401 Unauthorized\"}");
    }

    private HttpResponse<byte[]> post(String path, Map<String, Object> body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(world.api(path)))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofByteArray(Json.write(body)))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("PRIVATE-TOKEN", token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
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
}
