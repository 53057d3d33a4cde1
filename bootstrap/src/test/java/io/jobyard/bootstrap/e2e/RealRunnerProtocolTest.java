package io.jobyard.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.bootstrap.e2e.HttpApi.Response;
import io.jobyard.bootstrap.e2e.ScriptedRunner.RunningJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, done when: a runner that knows only GitLab's protocol — {@link ScriptedRunner} running jobs as gitlab-runner
 * 17's shell executor does ({@link ShellExecutor}), with no Jobyard-specific setup — takes a job from a pipeline
 * created with nothing but {@code ref}, {@code sha} and {@code ci_config}, runs it and finishes green; and jobs of a
 * project (or pipeline) that names a git repository fetch it and build the pipeline's commit.
 */
class RealRunnerProtocolTest {
    @TempDir
    Path dir;

    private ServerUnderTest server;
    private HttpApi api;
    private String admin;

    @BeforeEach
    void start() {
        server = new ServerUnderTest(dir.resolve("server"));
        api = server.api();
        admin = server.adminToken();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_job_from_ref_sha_and_config_alone_runs_green_without_a_repository() {
        long project = createProject(Map.of("name", "demo", "namespace_path", "acme"));
        String sha = "5f923865dde3436854e9ceb9cdb7815618d4e849";
        String config = """
                check:
                  script:
                    - test -z "$(ls -A)"
                    - test "$CI_CONFIG_PATH" = .gitlab-ci.yml
                    - test "$CI_COMMIT_MESSAGE" = ""
                    - test "$CI_COMMIT_TITLE" = "No commit message"
                    - test "$CI_COMMIT_BEFORE_SHA" = 0000000000000000000000000000000000000000
                    - test "$CI_DEFAULT_BRANCH" = main
                    - test "$CI_SERVER_VERSION" = "$CI_SERVER_VERSION_MAJOR.$CI_SERVER_VERSION_MINOR.$CI_SERVER_VERSION_PATCH"
                    - test "$CI_API_V4_URL" = http://jobyard.test/api/v4
                    - echo "built $CI_PROJECT_PATH at $CI_COMMIT_SHORT_SHA for $GITLAB_USER_LOGIN"
                """;
        Response created = api.json("POST", "/projects/" + project + "/pipeline", admin,
                Map.of("ref", "main", "sha", sha, "ci_config", config));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        ScriptedRunner runner = ScriptedRunner.create(api, admin, "shell runner");

        RunningJob job = runner.requestJob().orElseThrow();
        ShellExecutor.Outcome outcome = job.execute(new ShellExecutor(dir.resolve("builds")));

        assertThat(outcome.succeeded()).as(outcome.log()).isTrue();
        assertThat(outcome.log()).contains("Skipping Git repository setup", "built acme/demo at 5f923865 for root");
        JsonNode read = api.get("/projects/" + project + "/jobs/" + job.id, admin).json();
        assertThat(read.get("status").asText()).isEqualTo("success");
        assertThat(read.at("/pipeline/status").asText()).isEqualTo("success");
        assertThat(api.get("/projects/" + project + "/jobs/" + job.id + "/trace", admin).text())
                .isEqualTo(outcome.log());
    }

    @Test
    void a_projects_repository_is_fetched_and_the_pipelines_commit_checked_out() {
        Path origin = bareRepository("app", List.of("first version\n", "second version\n"));
        List<String> commits = log(origin);
        long project = createProject(Map.of("name", "app", "namespace_path", "acme", "default_branch", "main",
                "description", "The app", "repository_url", origin.toUri().toString()));
        String config = """
                build:
                  script:
                    - test "$(git rev-parse HEAD)" = "$CI_COMMIT_SHA"
                    - cat README.md
                    - test "$CI_COMMIT_BEFORE_SHA" = "%s"
                    - test "$CI_REPOSITORY_URL" = "%s"
                    - test "$CI_PROJECT_DESCRIPTION" = "The app"
                    - test "$CI_COMMIT_TITLE" = "Ship it"
                    - test "$CI_COMMIT_DESCRIPTION" = "with notes"
                    - test "$CI_COMMIT_AUTHOR" = "Ada <ada@example.com>"
                    - test "$CI_COMMIT_TIMESTAMP" = "2026-03-01T20:15:00+01:00"
                """.formatted(commits.get(0), origin.toUri());
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("ref", "main");
        pipeline.put("sha", commits.get(1));
        pipeline.put("before_sha", commits.get(0));
        pipeline.put("message", "Ship it\nwith notes");
        pipeline.put("author_name", "Ada");
        pipeline.put("author_email", "ada@example.com");
        pipeline.put("timestamp", "2026-03-01T20:15:00+01:00");
        pipeline.put("ci_config", config);
        assertThat(api.json("POST", "/projects/" + project + "/pipeline", admin, pipeline).status()).isEqualTo(201);

        RunningJob job = ScriptedRunner.create(api, admin, "shell runner").requestJob().orElseThrow();
        assertThat(job.payload.at("/git_info/repo_url").asText()).isEqualTo(origin.toUri().toString());
        ShellExecutor.Outcome outcome = job.execute(new ShellExecutor(dir.resolve("builds")));

        assertThat(outcome.succeeded()).as(outcome.log()).isTrue();
        assertThat(outcome.log()).contains("Fetching changes with git depth set to 20...",
                "Checking out " + commits.get(1).substring(0, 8) + " as detached HEAD (ref is main)...",
                "second version");
    }

    @Test
    void a_pipeline_may_build_another_repository_than_its_projects() {
        Path origin = bareRepository("app", List.of("upstream\n"));
        Path fork = bareRepository("fork", List.of("forked\n"));
        long project = createProject(Map.of("name", "app", "namespace_path", "acme",
                "repository_url", origin.toUri().toString()));
        Response created = api.json("POST", "/projects/" + project + "/pipeline", admin, Map.of("ref", "main",
                "sha", log(fork).get(0), "repository_url", fork.toUri().toString(),
                "ci_config", "build:\n  script: [cat README.md]"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        RunningJob job = ScriptedRunner.create(api, admin, "shell runner").requestJob().orElseThrow();
        ShellExecutor.Outcome outcome = job.execute(new ShellExecutor(dir.resolve("builds")));

        assertThat(outcome.succeeded()).as(outcome.log()).isTrue();
        assertThat(outcome.log()).contains("forked").doesNotContain("upstream");
    }

    @Test
    void commit_facts_gitlab_cannot_parse_are_refused_and_nothing_is_created() {
        long project = createProject(Map.of("name", "demo", "namespace_path", "acme"));
        String sha = "5f923865dde3436854e9ceb9cdb7815618d4e849";
        Map<String, String> refusals = Map.of(
                "before_sha", "HEAD~1",
                "timestamp", "yesterday",
                "repository_url", "https://user:secret@git.example.com/acme/demo.git",
                "author_name", "a".repeat(1025));
        refusals.forEach((name, value) -> {
            Response refused = api.json("POST", "/projects/" + project + "/pipeline", admin,
                    Map.of("ref", "main", "sha", sha, "ci_config", "t:\n  script: [\"true\"]", name, value));
            assertThat(refused.status()).as(name).isEqualTo(400);
            assertThat(refused.text()).isEqualTo("{\"error\":\"" + name + " is invalid\"}");
        });
        assertThat(api.get("/projects/" + project + "/pipelines", admin).json()).isEmpty();
    }

    private long createProject(Map<String, Object> attributes) {
        Response created = api.json("POST", "/projects", admin, attributes);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    /** A bare repository whose main branch has one commit per README content, oldest first. */
    private Path bareRepository(String name, List<String> readmes) {
        Path work = dir.resolve("work-" + name);
        Path bare = dir.resolve("git/" + name + ".git");
        git(dir, "init", "-q", "--bare", bare.toString());
        git(dir, "init", "-q", work.toString());
        int n = 0;
        for (String readme : readmes) {
            try {
                Files.writeString(work.resolve("README.md"), readme, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            git(work, "add", "README.md");
            git(work, "commit", "-q", "-m", "commit " + n++);
        }
        git(work, "push", "-q", bare.toUri().toString(), "HEAD:refs/heads/main");
        return bare;
    }

    /** The commits of main, oldest first. */
    private List<String> log(Path bare) {
        List<String> newestFirst = List.of(git(bare, "rev-list", "main").strip().split("\n"));
        List<String> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    private static String git(Path in, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "init.defaultBranch=main", "-c",
                "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(in);
            ProcessBuilder builder = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true);
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
