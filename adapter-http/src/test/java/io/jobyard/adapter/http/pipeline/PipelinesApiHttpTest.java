package io.jobyard.adapter.http.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.application.contract.TestData;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GitLab's pipeline routes over HTTP: entity keys, pagination headers, GitLab's order of refusals (401 → 404 project →
 * 400 parameters → 404 pipeline → 403) with its two error body families, and refusals that change nothing.
 */
class PipelinesApiHttpTest {
    private static final List<String> BASIC_KEYS = List.of("id", "iid", "project_id", "sha", "ref", "status",
            "source", "created_at", "updated_at", "web_url", "name");
    private static final List<String> PIPELINE_KEYS = List.of("id", "iid", "project_id", "sha", "ref", "status",
            "source", "created_at", "updated_at", "web_url", "before_sha", "tag", "yaml_errors", "user",
            "started_at", "finished_at", "committed_at", "duration", "queued_duration", "coverage",
            "detailed_status");
    private static final String CONFIG = "stages: [build, test]\nbuild:\n  stage: build\n  script: [make]\n"
            + "test:\n  stage: test\n  script: [make test]\n";

    private final PipelineWorld world = new PipelineWorld();

    @AfterEach
    void stop() {
        world.close();
    }

    private Pipeline pipeline(Project project, String ref, JobStatus status, User user, List<JobVariable> vars) {
        Pipeline p = world.data.pipelineRecord(project, ref, status);
        return world.repos.pipelines().insert(new Pipeline(p.id(), p.iid(), p.projectId(), ref, p.tag(), p.commit(),
                PipelineSource.API, status, p.stages(), vars, user.id(), p.createdAt(), p.updatedAt(), null, null, 0));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.tree(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private String appPath(String rest) {
        return "/projects/" + world.project.id().value() + rest;
    }

    @Nested
    class Listing {
        @Test
        void entriesAreGitLabsBasicPipelineWithNameAndPagesCarryTotalsAndLinks() {
            Pipeline a = pipeline(world.project, "main", JobStatus.SUCCESS, world.developer, List.of());
            Pipeline b = pipeline(world.project, "feature", JobStatus.FAILED, world.developer, List.of());
            Pipeline c = pipeline(world.project, "main", JobStatus.RUNNING, world.maintainer, List.of());

            HttpResponse<String> first = world.get("/projects/acme%2Fapp/pipelines?per_page=2&ref=", "pat-rita");

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(header(first, "Content-Type")).isEqualTo("application/json");
            JsonNode page = json(first);
            assertThat(page).hasSize(2);
            assertThat(keys(page.get(0))).isEqualTo(BASIC_KEYS);
            assertThat(page.get(0).get("id").asLong()).isEqualTo(c.id().value());
            assertThat(page.get(1).get("id").asLong()).isEqualTo(b.id().value());
            assertThat(page.get(0).get("web_url").asText())
                    .isEqualTo(world.base() + "/acme/app/-/pipelines/" + c.id().value());
            assertThat(page.get(0).get("name").isNull()).isTrue();
            assertThat(header(first, "X-Total")).isEqualTo("3");
            assertThat(header(first, "X-Total-Pages")).isEqualTo("2");
            assertThat(header(first, "X-Page")).isEqualTo("1");
            assertThat(header(first, "X-Per-Page")).isEqualTo("2");
            assertThat(header(first, "X-Next-Page")).isEqualTo("2");
            assertThat(header(first, "X-Prev-Page")).isEmpty();
            String self = world.api("/projects/acme%2Fapp/pipelines");
            assertThat(header(first, "Link")).isEqualTo("<" + self + "?page=2&per_page=2&ref=>; rel=\"next\", <"
                    + self + "?page=1&per_page=2&ref=>; rel=\"first\", <" + self
                    + "?page=2&per_page=2&ref=>; rel=\"last\"");

            JsonNode second = json(world.get("/projects/acme%2Fapp/pipelines?per_page=2&page=2", "pat-rita"));
            assertThat(second).hasSize(1);
            assertThat(second.get(0).get("id").asLong()).isEqualTo(a.id().value());
        }

        @Test
        void filtersAndOrderAsGitLabsFinder() {
            Pipeline mainOk = pipeline(world.project, "main", JobStatus.SUCCESS, world.developer, List.of());
            Pipeline featureFailed = pipeline(world.project, "feature", JobStatus.FAILED, world.maintainer,
                    List.of());
            Pipeline mainRunning = pipeline(world.project, "main", JobStatus.RUNNING, world.developer, List.of());

            assertThat(ids("?scope=finished")).containsExactly(featureFailed.id().value(), mainOk.id().value());
            assertThat(ids("?scope=running")).containsExactly(mainRunning.id().value());
            assertThat(ids("?scope=branches")).containsExactly(mainRunning.id().value(),
                    featureFailed.id().value());
            assertThat(ids("?scope=tags")).isEmpty();
            assertThat(ids("?status=failed")).containsExactly(featureFailed.id().value());
            assertThat(ids("?ref=main&sort=asc")).containsExactly(mainOk.id().value(), mainRunning.id().value());
            assertThat(ids("?sha=" + featureFailed.sha())).containsExactly(featureFailed.id().value());
            assertThat(ids("?username=max")).containsExactly(featureFailed.id().value());
            assertThat(ids("?username=nobody")).isEmpty();
            assertThat(ids("?order_by=ref&sort=asc")).containsExactly(featureFailed.id().value(),
                    mainOk.id().value(), mainRunning.id().value());
            assertThat(ids("?order_by=status&sort=desc")).containsExactly(mainOk.id().value(),
                    mainRunning.id().value(), featureFailed.id().value());
            assertThat(ids("?source=push")).isEmpty();
            assertThat(ids("?source=api&yaml_errors=false")).hasSize(3);
            assertThat(ids("?yaml_errors=true")).isEmpty();
            assertThat(ids("?updated_after=2024-05-01T10:00:00Z&updated_before=2024-05-01")).isEmpty();
            assertThat(ids("?updated_after=2024-05-01&updated_before=2024-05-01T10:00:00.000Z")).hasSize(3);
        }

        /** Jobyard's keyset pages of the pipeline list (GitLab pages it by offset only), by id and by updated_at. */
        @Test
        void keysetPagesInTheIdAndUpdatedAtOrdersWithTheFilters() {
            List<Pipeline> made = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                made.add(pipeline(world.project, i % 2 == 0 ? "main" : "feature", JobStatus.SUCCESS,
                        world.developer, List.of()));
            }
            for (String order : List.of("id", "updated_at")) {
                for (String sort : List.of("asc", "desc")) {
                    String query = "?order_by=" + order + "&sort=" + sort + "&ref=main";
                    List<Long> whole = ids(query);
                    List<Long> walked = new ArrayList<>();
                    String next = world.api(appPath("/pipelines")) + query + "&pagination=keyset&per_page=2";
                    while (next != null) {
                        HttpResponse<String> page = world.get(next.substring(world.api("").length()), "pat-rita");
                        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
                        assertThat(header(page, "X-Total")).isNull();
                        json(page).forEach(node -> walked.add(node.get("id").asLong()));
                        String link = header(page, "Link");
                        next = link == null ? null : link.replaceAll("^<([^>]+)>; rel=\"next\"$", "$1");
                        if (next != null) {
                            assertThat(next).contains("ref=main").contains("order_by=" + order)
                                    .contains("sort=" + sort).contains("cursor=");
                        }
                    }
                    assertThat(walked).as(order + " " + sort).containsExactlyElementsOf(whole).hasSize(3);
                }
            }
            assertError("?pagination=keyset&order_by=ref", 405,
                    "Keyset pagination is not yet available for this type of request");
            assertError("?pagination=keyset&cursor=%21", 400, "cursor is invalid");
            HttpResponse<String> elsewhere = world.get("/projects/99999/pipelines?pagination=keyset&order_by=status",
                    "pat-rita");
            assertThat(elsewhere.statusCode()).as("the project is checked first").isEqualTo(404);
        }

        private void assertError(String query, int status, String error) {
            HttpResponse<String> response = world.get(appPath("/pipelines" + query), "pat-rita");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
            assertThat(json(response).get("error").asText()).isEqualTo(error);
        }

        private List<Long> ids(String query) {
            HttpResponse<String> response = world.get(appPath("/pipelines" + query), "pat-rita");
            assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(200);
            List<Long> ids = new ArrayList<>();
            json(response).forEach(node -> ids.add(node.get("id").asLong()));
            return ids;
        }

        @Test
        void malformedParametersAreGrapesErrors() {
            assertError("?scope=invalid", "scope does not have a valid value");
            assertError("?scope[]=running", "scope is invalid");
            assertError("?status=done", "status does not have a valid value");
            assertError("?order_by=lock_version", "order_by does not have a valid value");
            assertError("?sort=ASC", "sort does not have a valid value");
            assertError("?source=nowhere", "source does not have a valid value");
            assertError("?yaml_errors=maybe", "yaml_errors is invalid");
            assertError("?updated_before=yesterday", "updated_before is invalid");
            assertError("?created_after=2024-13-01", "created_after is invalid");
            assertError("?per_page=0", "per_page has a value not allowed");
            assertError("?page=x", "page is invalid");
        }

        private void assertError(String query, String error) {
            HttpResponse<String> response = world.get(appPath("/pipelines" + query), "pat-rita");
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.body()).as(query).isEqualTo("{\"error\":\"" + error + "\"}");
        }

        @Test
        void whoMaySeeTheList() {
            pipeline(world.open, "main", JobStatus.SUCCESS, world.developer, List.of());

            assertThat(world.get("/projects/acme%2Fopen/pipelines", null).statusCode()).isEqualTo(200);
            HttpResponse<String> anonymous = world.get(appPath("/pipelines"), null);
            assertThat(anonymous.statusCode()).isEqualTo(404);
            assertThat(anonymous.body()).isEqualTo("{\"message\":\"404 Project Not Found\"}");
            assertThat(world.get(appPath("/pipelines"), "pat-otto").body())
                    .isEqualTo("{\"message\":\"404 Project Not Found\"}");
            assertThat(world.get(appPath("/pipelines"), "nope").body())
                    .isEqualTo("{\"message\":\"401 Unauthorized\"}");
            // GitLab validates parameters after authentication, and before it looks at the project.
            assertThat(world.get(appPath("/pipelines?scope=x"), "pat-otto").statusCode()).isEqualTo(400);
        }
    }

    @Nested
    class Reading {
        @Test
        void aPipelineIsGitLabsPipelineWithMetadata() {
            Pipeline pipeline = pipeline(world.project, "main", JobStatus.RUNNING, world.developer, List.of());

            HttpResponse<String> response = world.get(appPath("/pipelines/" + pipeline.id()), "pat-rita");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = json(response);
            List<String> expected = new ArrayList<>(PIPELINE_KEYS);
            expected.add("name");
            assertThat(keys(body)).isEqualTo(expected);
            assertThat(body.at("/user/username").asText()).isEqualTo("dev");
            assertThat(keys(body.get("user"))).containsExactly("id", "username", "name", "state", "locked",
                    "avatar_url", "web_url");
            assertThat(body.at("/detailed_status/text").asText()).isEqualTo("Running");
            assertThat(body.at("/detailed_status/details_path").asText())
                    .isEqualTo("/acme/app/-/pipelines/" + pipeline.id());
        }

        @Test
        void missingPipelinesAndBadIdsInGitLabsWords() {
            Pipeline elsewhere = pipeline(world.open, "main", JobStatus.SUCCESS, world.developer, List.of());

            assertThat(world.get(appPath("/pipelines/" + elsewhere.id()), "pat-rita").body())
                    .isEqualTo("{\"message\":\"404 Not found\"}");
            assertThat(world.get(appPath("/pipelines/999999999999999999999"), "pat-rita").body())
                    .isEqualTo("{\"message\":\"404 Not found\"}");
            HttpResponse<String> notANumber = world.get(appPath("/pipelines/abc"), "pat-rita");
            assertThat(notANumber.statusCode()).isEqualTo(400);
            assertThat(notANumber.body()).isEqualTo("{\"error\":\"pipeline_id is invalid\"}");
            assertThat(world.get("/projects/acme%2Fopen/pipelines/" + elsewhere.id(), null).statusCode())
                    .isEqualTo(200);
        }

        @Test
        void variablesAreShownToMaintainersAndToTheDeveloperWhoTriggeredThePipeline() {
            Pipeline pipeline = pipeline(world.project, "main", JobStatus.SUCCESS, world.developer,
                    List.of(JobVariable.of("DEPLOY", "yes"), new JobVariable("KUBECONFIG", "cfg", false, true)));
            String expected = "[{\"variable_type\":\"env_var\",\"key\":\"DEPLOY\",\"value\":\"yes\"},"
                    + "{\"variable_type\":\"file\",\"key\":\"KUBECONFIG\",\"value\":\"cfg\"}]";

            HttpResponse<String> maintainer = world.get(appPath("/pipelines/" + pipeline.id() + "/variables"),
                    "pat-max");
            assertThat(maintainer.statusCode()).isEqualTo(200);
            assertThat(maintainer.body()).isEqualTo(expected);
            assertThat(world.get(appPath("/pipelines/" + pipeline.id() + "/variables"), "pat-dev").body())
                    .isEqualTo(expected);
            HttpResponse<String> reporter = world.get(appPath("/pipelines/" + pipeline.id() + "/variables"),
                    "pat-rita");
            assertThat(reporter.statusCode()).isEqualTo(403);
            assertThat(reporter.body()).isEqualTo("{\"message\":\"403 Forbidden\"}");
            Pipeline none = pipeline(world.project, "main", JobStatus.SUCCESS, world.maintainer, List.of());
            assertThat(world.get(appPath("/pipelines/" + none.id() + "/variables"), "pat-max").body())
                    .isEqualTo("[]");
        }
    }

    @Nested
    class Actions {
        @Test
        void retryAnswers201WithThePipelineReopened() {
            Pipeline pipeline = pipeline(world.project, "main", JobStatus.FAILED, world.maintainer, List.of());
            Job failed = world.data.job(pipeline, "unit", JobStatus.FAILED);

            HttpResponse<String> response = world.post(appPath("/pipelines/" + pipeline.id() + "/retry"), "pat-dev");

            assertThat(response.statusCode()).isEqualTo(201);
            JsonNode body = json(response);
            assertThat(keys(body)).isEqualTo(PIPELINE_KEYS);
            assertThat(body.get("status").asText()).isEqualTo("pending");
            assertThat(world.repos.jobs().findById(failed.id()).orElseThrow().retried()).isTrue();
            assertThat(world.repos.jobs().findByPipeline(pipeline.id())).hasSize(2);
        }

        @Test
        void cancelAnswers200WithThePipelineCanceled() {
            Pipeline pipeline = pipeline(world.project, "main", JobStatus.RUNNING, world.maintainer, List.of());
            Job running = world.data.job(pipeline, "unit", JobStatus.RUNNING);

            HttpResponse<String> response = world.post(appPath("/pipelines/" + pipeline.id() + "/cancel"), "pat-dev");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(keys(json(response))).isEqualTo(PIPELINE_KEYS);
            assertThat(json(response).get("status").asText()).isEqualTo("canceled");
            assertThat(world.repos.jobs().findById(running.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELED);
        }

        @Test
        void refusedActionsChangeNothing() {
            Pipeline pipeline = pipeline(world.project, "main", JobStatus.FAILED, world.maintainer, List.of());
            Job failed = world.data.job(pipeline, "unit", JobStatus.FAILED);

            for (String action : List.of("/retry", "/cancel")) {
                String path = appPath("/pipelines/" + pipeline.id() + action);
                assertThat(world.post(path, "pat-rita").body()).isEqualTo("{\"message\":\"403 Forbidden\"}");
                assertThat(world.post(path, "ro-dev").statusCode()).isEqualTo(403);
                assertThat(world.post(path, null).body()).isEqualTo("{\"message\":\"401 Unauthorized\"}");
                assertThat(world.post(path, "pat-otto").body()).isEqualTo("{\"message\":\"404 Project Not Found\"}");
                assertThat(world.post(appPath("/pipelines/424242" + action), "pat-dev").body())
                        .isEqualTo("{\"message\":\"404 Not found\"}");
            }
            assertThat(world.repos.jobs().findByPipeline(pipeline.id())).containsExactly(failed);
            assertThat(world.repos.pipelines().findById(pipeline.id())).contains(pipeline);
        }

        @Test
        void otherMethodsOnKnownPathsAre405() {
            Pipeline pipeline = pipeline(world.project, "main", JobStatus.FAILED, world.maintainer, List.of());
            HttpResponse<String> response = world.get(appPath("/pipelines/" + pipeline.id() + "/retry"), "pat-dev");
            assertThat(response.statusCode()).isEqualTo(405);
        }
    }

    @Nested
    class StoredConfiguration {
        private String form(String content) {
            return "content=" + URLEncoder.encode(content, StandardCharsets.UTF_8);
        }

        @Test
        void maintainersStoreItEveryReaderReadsItAndPipelinesWithoutCiConfigRunIt() {
            HttpResponse<String> none = world.get(appPath("/ci_config"), "pat-rita");
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(none.body()).isEqualTo("{\"message\":\"404 CI config Not Found\"}");

            HttpResponse<String> stored = world.putForm(appPath("/ci_config"), form(CONFIG), "pat-max");
            assertThat(stored.statusCode()).isEqualTo(200);
            assertThat(json(stored).get("content").asText()).isEqualTo(CONFIG);
            HttpResponse<String> read = world.get(appPath("/ci_config"), "pat-rita");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(keys(json(read))).containsExactly("content");
            assertThat(json(read).get("content").asText()).isEqualTo(CONFIG);

            HttpResponse<String> created = world.postJson("/projects/acme%2Fapp/pipeline",
                    "{\"ref\":\"main\",\"sha\":\"" + TestData.sha(9) + "\"}", "pat-dev");
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(keys(json(created))).isEqualTo(PIPELINE_KEYS);
            long id = json(created).get("id").asLong();
            assertThat(world.repos.jobs().findByPipeline(io.jobyard.domain.pipeline.PipelineId.of(id)))
                    .extracting(Job::name).containsExactly("build", "test");

            String replaced = "deploy:\n  script: [ship]\n";
            assertThat(world.putJson(appPath("/ci_config"), "{\"content\":" + quoted(replaced) + "}", "pat-max")
                    .statusCode()).isEqualTo(200);
            assertThat(json(world.get(appPath("/ci_config"), "pat-max")).get("content").asText())
                    .isEqualTo(replaced);
        }

        @Test
        void aConfigurationTheLintRefusesIsRefusedAsPipelineCreationRefusesItAndNotStored() {
            world.putForm(appPath("/ci_config"), form(CONFIG), "pat-max");

            HttpResponse<String> broken = world.putForm(appPath("/ci_config"),
                    form("build:\n  script: [x]\n  foo: 1\n"), "pat-max");
            assertThat(broken.statusCode()).isEqualTo(400);
            assertThat(broken.body())
                    .isEqualTo("{\"message\":{\"base\":[\"jobs:build config contains unknown keys: foo\"]}}");
            HttpResponse<String> notYaml = world.putForm(appPath("/ci_config"), form("build: [unclosed"), "pat-max");
            assertThat(notYaml.statusCode()).isEqualTo(400);
            assertThat(json(notYaml).at("/message/base/0").asText()).contains("line 1");
            HttpResponse<String> missing = world.putForm(appPath("/ci_config"), "", "pat-max");
            assertThat(missing.body()).isEqualTo("{\"error\":\"content is missing\"}");
            HttpResponse<String> notText = world.putJson(appPath("/ci_config"), "{\"content\":[1]}", "pat-max");
            assertThat(notText.body()).isEqualTo("{\"error\":\"content is invalid\"}");

            assertThat(json(world.get(appPath("/ci_config"), "pat-max")).get("content").asText()).isEqualTo(CONFIG);
        }

        @Test
        void onlyMaintainersStoreAndRefusalsComeBeforeTheLint() {
            String broken = form("build:\n  foo: 1\n");
            assertThat(world.putForm(appPath("/ci_config"), broken, "pat-dev").body())
                    .isEqualTo("{\"message\":\"403 Forbidden\"}");
            assertThat(world.putForm(appPath("/ci_config"), form(CONFIG), null).body())
                    .isEqualTo("{\"message\":\"401 Unauthorized\"}");
            assertThat(world.putForm(appPath("/ci_config"), form(CONFIG), "pat-otto").body())
                    .isEqualTo("{\"message\":\"404 Project Not Found\"}");
            assertThat(world.get(appPath("/ci_config"), null).statusCode()).isEqualTo(404);
            assertThat(world.ciConfigs.find(world.project.id())).isEmpty();

            HttpResponse<String> reporterCreates = world.postJson(appPath("/pipeline"),
                    "{\"ref\":\"main\",\"sha\":\"" + TestData.sha(9) + "\",\"ci_config\":\"build:\\n  foo: 1\\n\"}",
                    "pat-rita");
            assertThat(reporterCreates.body()).isEqualTo("{\"message\":\"403 Forbidden\"}");
        }

        private static String quoted(String text) {
            return new String(Json.write(text), StandardCharsets.UTF_8);
        }
    }
}
