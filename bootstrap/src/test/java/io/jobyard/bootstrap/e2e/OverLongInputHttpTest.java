package io.jobyard.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, section 4, the cases the issue names, through HTTP on a real H2 database (where each used to be a 500 from
 * the database): every over-long value is a 400 in the endpoint's GitLab shape, and nothing is created. A value of
 * exactly the limit is taken.
 */
class OverLongInputHttpTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final String TOO_LONG_255 = "is too long (maximum is 255 characters)";

    @TempDir
    static Path dir;

    private static ServerUnderTest server;
    private static HttpApi api;
    private static String admin;
    private static long project;

    @BeforeAll
    static void start() {
        server = new ServerUnderTest(dir);
        api = server.api();
        admin = server.adminToken();
        project = api.json("POST", "/projects", admin, Map.of("name", "app", "namespace_path", "acme")).json()
                .get("id").asLong();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRefOf5000CharactersIsRefusedBeforeThePipelineIsMade() {
        HttpApi.Response response = createPipeline("r".repeat(5000), "build: {script: [make]}", List.of());
        assertValidationError(response, "ref", "is too long (maximum is 1024 characters)");
        assertThat(pipelineCount()).isZero();
    }

    @Test
    void configurationValuesLongerThanStoredAreLintErrors() {
        assertBase(createPipeline("main", "stages: [build]\nbuild: {stage: " + "s".repeat(256) + ", script: [x]}",
                List.of()), "jobs:build:stage config is too long (maximum is 255 characters)");
        assertBase(createPipeline("main", "build: {image: " + "i".repeat(3000) + ", script: [x]}", List.of()),
                "jobs:build:image name is too long (maximum is 2048 characters)");
        assertBase(createPipeline("main", "build: {tags: [" + "t".repeat(256) + "], script: [x]}", List.of()),
                "jobs:build:tags config contains a tag that is too long (maximum is 255 characters)");
        assertBase(createPipeline("main", "build: {resource_group: " + "g".repeat(256) + ", script: [x]}",
                List.of()), "jobs:build resource group is too long (maximum is 255 characters)");
        HttpApi.Response variable = createPipeline("main", "variables: {" + "K".repeat(256) + ": v}\n"
                + "build: {script: [x]}", List.of());
        assertThat(variable.status()).isEqualTo(400);
        assertThat(variable.json().get("message").get("base").get(0).asText()).endsWith("key " + TOO_LONG_255);
        assertThat(pipelineCount()).isZero();

        HttpApi.Response stored = api.json("PUT", "/projects/" + project + "/ci_config", admin,
                Map.of("content", "build: {stage: " + "s".repeat(256) + ", script: [x]}"));
        assertBase(stored, "jobs:build:stage config is too long (maximum is 255 characters)");
    }

    @Test
    void aPipelineVariableKeyOf256CharactersIsRefused() {
        HttpApi.Response response = createPipeline("main", "build: {script: [make]}",
                List.of(Map.of("key", "K".repeat(256), "value", "v")));
        assertValidationError(response, "variables[0][key]", TOO_LONG_255);
        assertThat(pipelineCount()).isZero();
    }

    @Test
    void aPlayedJobsVariableKeyOf256CharactersIsRefused() {
        JsonNode pipeline = createPipeline("main", "deploy: {script: [ship], when: manual}", List.of()).json();
        long job = api.get("/projects/" + project + "/pipelines/" + pipeline.get("id").asLong() + "/jobs", admin)
                .json().get(0).get("id").asLong();
        HttpApi.Response response = api.json("POST", "/projects/" + project + "/jobs/" + job + "/play", admin,
                Map.of("job_variables_attributes", List.of(Map.of("key", "K".repeat(256), "value", "v"))));
        assertValidationError(response, "job_variables_attributes[0][key]", TOO_LONG_255);
        assertThat(api.get("/projects/" + project + "/jobs/" + job, admin).json().get("status").asText())
                .isEqualTo("manual");
    }

    @Test
    void runnerTagsAndDescriptionsLongerThanStoredAreBadRequests() {
        HttpApi.Response tag = api.json("POST", "/user/runners", admin, Map.of("runner_type", "instance_type",
                "tag_list", List.of("docker", "t".repeat(256))));
        assertThat(tag.status()).isEqualTo(400);
        assertThat(tag.json()).isEqualTo(HttpApi.JSON.valueToTree(
                Map.of("message", "400 Bad request - Tag list is too long (maximum is 255 characters)")));
        HttpApi.Response description = api.json("POST", "/user/runners", admin, Map.of("runner_type",
                "instance_type", "description", "d".repeat(3000)));
        assertThat(description.json().get("message").asText())
                .isEqualTo("400 Bad request - Description is too long (maximum is 2048 characters)");
        assertThat(api.json("POST", "/user/runners", admin, Map.of("runner_type", "instance_type",
                "tag_list", List.of("t".repeat(255)))).status()).as("a tag of exactly 255").isEqualTo(201);
    }

    @Test
    void userAndTokenNamesOf256CharactersAreValidationErrors() {
        HttpApi.Response user = api.json("POST", "/users", admin, Map.of("username", "longname",
                "name", "n".repeat(256), "email", "long@example.com"));
        assertValidationError(user, "name", TOO_LONG_255);
        assertThat(api.get("/users?username=longname", admin).json()).isEmpty();
        assertValidationError(api.json("POST", "/users", admin, Map.of("username", "longmail",
                "name", "Long", "email", "e".repeat(250) + "@example.com")), "email", TOO_LONG_255);

        HttpApi.Response token = api.json("POST", "/users/1/personal_access_tokens", admin,
                Map.of("name", "n".repeat(256), "scopes", List.of("api")));
        assertValidationError(token, "name", TOO_LONG_255);

        HttpApi.Response longest = api.json("POST", "/users", admin, Map.of("username", "longest",
                "name", "n".repeat(255), "email", "longest@example.com"));
        assertThat(longest.status()).as("a name of exactly 255").isEqualTo(201);
    }

    @Test
    void projectNamesAndNamespacesLongerThanStoredAreValidationErrors() {
        assertValidationError(api.json("POST", "/projects", admin, Map.of("name", "n".repeat(256),
                "path", "short", "namespace_path", "acme")), "name", TOO_LONG_255);
        String namespace = String.join("/", java.util.Collections.nCopies(9, "g".repeat(250)));
        assertValidationError(api.json("POST", "/projects", admin, Map.of("name", "deep",
                "namespace_path", namespace)), "namespace_path", "is too long (maximum is 2048 characters)");
    }

    @Test
    void aNullByteIsABadRequestAsGitLabsMiddlewareAnswersIt() {
        HttpApi.Response response = api.json("POST", "/users", admin, Map.of("username", "nul",
                "name", "a\u0000b", "email", "nul@example.com"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json()).isEqualTo(HttpApi.JSON.valueToTree(Map.of("message", "400 Bad request")));
        assertThat(api.get("/users?username=nul", admin).json()).isEmpty();
        HttpApi.Response yaml = createPipeline("main", "build: {script: [\"a\\0b\"]}", List.of());
        assertBase(yaml, "Invalid configuration format: a string contains a null character or invalid Unicode");
    }

    private static HttpApi.Response createPipeline(String ref, String config, List<Map<String, String>> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ref", ref);
        body.put("sha", SHA);
        body.put("ci_config", config);
        if (!variables.isEmpty()) {
            body.put("variables", variables);
        }
        return api.json("POST", "/projects/" + project + "/pipeline", admin, body);
    }

    private static int pipelineCount() {
        return api.get("/projects/" + project + "/pipelines", admin).json().size();
    }

    private static void assertValidationError(HttpApi.Response response, String attribute, String problem) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json()).as(response.toString()).isEqualTo(HttpApi.JSON.valueToTree(
                Map.of("message", Map.of(attribute, List.of(problem)))));
    }

    private static void assertBase(HttpApi.Response response, String error) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json()).as(response.toString()).isEqualTo(HttpApi.JSON.valueToTree(
                Map.of("message", Map.of("base", List.of(error)))));
    }
}
