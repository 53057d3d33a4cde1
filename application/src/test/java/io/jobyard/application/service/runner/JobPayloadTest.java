package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.runner.JobRequestPayload.Artifact;
import io.jobyard.application.port.in.runner.JobRequestPayload.Image;
import io.jobyard.application.port.in.runner.JobRequestPayload.Step;
import io.jobyard.application.port.in.runner.JobRequestPayload.Variable;
import io.jobyard.application.port.in.runner.JobRequestPayload;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobEvent;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.job.TransitionContext;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a runner receives with its job (contract §5.1). */
class JobPayloadTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final Commit COMMIT = new Commit(SHA, "Fix the build", "Fix the build\n\nfor real", "Ada",
            "ada@example.com", OffsetDateTime.of(2024, 4, 30, 18, 1, 2, 345_000_000, ZoneOffset.ofHours(2)), "Grace",
            "grace@example.com", OffsetDateTime.of(2024, 4, 30, 19, 5, 6, 0, ZoneOffset.ofHours(2)), List.of());

    private final RunnerTestbed bed = new RunnerTestbed();

    private static JobSpec rspec() {
        JobExecution execution = new JobExecution("ruby:3.3", List.of("postgres:16", "redis:7"),
                List.of("bundle install"), List.of("bundle exec rspec", "echo done"), List.of("cleanup"), null,
                new JobExecution.ArtifactsSpec("reports", List.of("out/", "coverage/"), List.of("out/*.tmp"), false,
                        "always", "1 week", null, Map.of("junit", List.of("rspec.xml"),
                        "dotenv", List.of("build.env"))),
                1800);
        return JobSpec.simple("rspec 1/2", "test", 0)
                .withVariables(List.of(JobVariable.of("RAILS_ENV", "test"), new JobVariable("SECRET", "s3cr3t", true,
                        false), new JobVariable("CONFIG", "a=b", false, true), JobVariable.of("SHARED", "job")))
                .withExecution(execution);
    }

    private JobRequestPayload runRspec() {
        bed.pipeline(bed.project, "feature/Login_Page", false, COMMIT,
                List.of(JobVariable.of("SHARED", "pipeline")), List.of("test"), rspec());
        return bed.assigned(bed.instanceRunner(List.of("docker", "linux"), true));
    }

    @Test
    void job_info_and_runner_info() {
        JobRequestPayload payload = runRspec();
        Pipeline pipeline = bed.repos.pipelines().findById(bed.job(JobId.of(payload.id()))
                .pipelineId()).orElseThrow();

        assertThat(payload.jobInfo()).isEqualTo(new JobRequestPayload.JobInfo(payload.id(), "rspec 1/2", "test",
                pipeline.id().value(), bed.project.id().value(), "Project app", "acme/app", bed.admin.id().value(),
                0));
        assertThat(payload.runnerInfo().timeout()).isEqualTo(1800);
        assertThat(payload.allowGitFetch()).isTrue();
        assertThat(payload.features().traceSections()).isTrue();
        assertThat(payload.features().failureReasons())
                .contains("script_failure", "unknown_failure", "job_execution_timeout", "runner_system_failure")
                .hasSize(FailureReason.values().length);
    }

    @Test
    void git_info_clones_with_the_job_token_and_fetches_the_branch() {
        JobRequestPayload payload = runRspec();

        JobRequestPayload.GitInfo git = payload.gitInfo();
        assertThat(git.repoUrl())
                .isEqualTo("https://gitlab-ci-token:" + payload.token() + "@ci.example.com/acme/app.git");
        assertThat(git.ref()).isEqualTo("feature/Login_Page");
        assertThat(git.sha()).isEqualTo(SHA);
        assertThat(git.beforeSha()).isEqualTo("0".repeat(40));
        assertThat(git.refType()).isEqualTo("branch");
        assertThat(git.refspecs())
                .containsExactly("+refs/heads/feature/Login_Page:refs/remotes/origin/feature/Login_Page");
        assertThat(git.depth()).isEqualTo(20);
        assertThat(git.repoObjectFormat()).isEqualTo("sha1");
    }

    @Test
    void a_tag_pipeline_fetches_the_tag() {
        bed.pipeline(bed.project, "v1.2.3", true, COMMIT, List.of(), List.of("test"), JobSpec.simple("t", "test", 0));
        JobRequestPayload payload = bed.assigned(bed.untaggedRunner());

        assertThat(payload.gitInfo().refType()).isEqualTo("tag");
        assertThat(payload.gitInfo().refspecs()).containsExactly("+refs/tags/v1.2.3:refs/tags/v1.2.3");
        assertThat(payload.variable("CI_COMMIT_TAG").map(Variable::value)).contains("v1.2.3");
        assertThat(payload.variable("CI_COMMIT_BRANCH")).isEmpty();
    }

    @Test
    void git_depth_zero_fetches_every_branch_and_tag() {
        bed.pipeline(bed.project, "main", false, COMMIT, List.of(JobVariable.of("GIT_DEPTH", "0")),
                List.of("test"), JobSpec.simple("t", "test", 0).withVariables(List.of(JobVariable.of("GIT_DEPTH", "5"))));
        JobRequestPayload payload = bed.assigned(bed.untaggedRunner());

        // The pipeline's variable comes later and wins, as in the runner.
        assertThat(payload.gitInfo().depth()).isZero();
        assertThat(payload.gitInfo().refspecs())
                .containsExactly("+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*");
    }

    @Test
    void the_clone_url_keeps_the_external_urls_port_and_path() {
        RunnerTestbed custom = new RunnerTestbed(new RunnerSettings(URI.create("http://jobyard.local:8080/ci/"),
                Duration.ofMinutes(30), Duration.ofMinutes(5), 3));
        custom.oneStage("t");
        JobRequestPayload payload = custom.assigned(custom.untaggedRunner());

        assertThat(payload.gitInfo().repoUrl())
                .isEqualTo("http://gitlab-ci-token:" + payload.token() + "@jobyard.local:8080/ci/acme/app.git");
        assertThat(payload.gitInfo().depth()).isEqualTo(3);
        assertThat(payload.runnerInfo().timeout()).isEqualTo(1800);
        assertThat(payload.variable("CI_SERVER_URL").map(Variable::value)).contains("http://jobyard.local:8080/ci");
        assertThat(payload.variable("CI_API_V4_URL").map(Variable::value))
                .contains("http://jobyard.local:8080/ci/api/v4");
        assertThat(payload.variable("CI_SERVER_PORT").map(Variable::value)).contains("8080");
        assertThat(payload.variable("CI_SERVER_PROTOCOL").map(Variable::value)).contains("http");
    }

    @Test
    void predefined_variables_describe_job_pipeline_project_commit_runner_and_user() {
        JobRequestPayload payload = runRspec();
        Job job = bed.job(JobId.of(payload.id()));
        Pipeline pipeline = bed.repos.pipelines().findById(job.pipelineId()).orElseThrow();

        Map<String, String> expected = Map.ofEntries(
                Map.entry("CI", "true"),
                Map.entry("GITLAB_CI", "true"),
                Map.entry("CI_SERVER_URL", "https://ci.example.com"),
                Map.entry("CI_SERVER_HOST", "ci.example.com"),
                Map.entry("CI_SERVER_PORT", "443"),
                Map.entry("CI_SERVER_PROTOCOL", "https"),
                Map.entry("CI_API_V4_URL", "https://ci.example.com/api/v4"),
                Map.entry("CI_JOB_ID", Long.toString(payload.id())),
                Map.entry("CI_JOB_NAME", "rspec 1/2"),
                Map.entry("CI_JOB_STAGE", "test"),
                Map.entry("CI_JOB_URL", "https://ci.example.com/acme/app/-/jobs/" + payload.id()),
                Map.entry("CI_JOB_STARTED_AT", "2024-05-02T10:00:00Z"),
                Map.entry("CI_NODE_TOTAL", "1"),
                Map.entry("CI_PIPELINE_ID", pipeline.id().toString()),
                Map.entry("CI_PIPELINE_IID", Long.toString(pipeline.iid())),
                Map.entry("CI_PIPELINE_SOURCE", "api"),
                Map.entry("CI_PIPELINE_URL", "https://ci.example.com/acme/app/-/pipelines/" + pipeline.id()),
                Map.entry("CI_PIPELINE_CREATED_AT", "2024-05-02T10:00:00Z"),
                Map.entry("CI_PROJECT_ID", bed.project.id().toString()),
                Map.entry("CI_PROJECT_NAME", "app"),
                Map.entry("CI_PROJECT_TITLE", "Project app"),
                Map.entry("CI_PROJECT_PATH", "acme/app"),
                Map.entry("CI_PROJECT_PATH_SLUG", "acme-app"),
                Map.entry("CI_PROJECT_NAMESPACE", "acme"),
                Map.entry("CI_PROJECT_ROOT_NAMESPACE", "acme"),
                Map.entry("CI_PROJECT_URL", "https://ci.example.com/acme/app"),
                Map.entry("CI_PROJECT_VISIBILITY", "private"),
                Map.entry("CI_COMMIT_SHA", SHA),
                Map.entry("CI_COMMIT_SHORT_SHA", "01234567"),
                Map.entry("CI_COMMIT_REF_NAME", "feature/Login_Page"),
                Map.entry("CI_COMMIT_REF_SLUG", "feature-login-page"),
                Map.entry("CI_COMMIT_BRANCH", "feature/Login_Page"),
                Map.entry("CI_COMMIT_TITLE", "Fix the build"),
                Map.entry("CI_COMMIT_MESSAGE", "Fix the build\n\nfor real"),
                Map.entry("CI_COMMIT_AUTHOR", "Ada <ada@example.com>"),
                Map.entry("CI_COMMIT_TIMESTAMP", "2024-04-30T19:05:06+02:00"),
                Map.entry("CI_RUNNER_DESCRIPTION", "shared"),
                Map.entry("CI_RUNNER_TAGS", "[\"docker\", \"linux\"]"),
                Map.entry("GITLAB_USER_ID", bed.admin.id().toString()),
                Map.entry("GITLAB_USER_LOGIN", "root"),
                Map.entry("GITLAB_USER_NAME", "Name of root"),
                Map.entry("GITLAB_USER_EMAIL", "root@example.com"));
        expected.forEach((key, value) -> assertThat(payload.variable(key))
                .as(key).hasValueSatisfying(v -> {
                    assertThat(v.value()).as(key).isEqualTo(value);
                    assertThat(v.isPublic()).as(key + " public").isTrue();
                    assertThat(v.masked()).as(key + " masked").isFalse();
                }));
        assertThat(payload.variable("CI_RUNNER_ID").map(Variable::value)).isPresent();
        assertThat(payload.variable("CI_COMMIT_TAG")).isEmpty();
        assertThat(payload.variable("CI_JOB_MANUAL")).isEmpty();
    }

    @Test
    void the_job_token_variable_is_masked_and_not_public() {
        JobRequestPayload payload = runRspec();

        assertThat(payload.variable("CI_JOB_TOKEN")).contains(
                new Variable("CI_JOB_TOKEN", payload.token(), false, true, false, false));
        assertThat(payload.variable("CI_REPOSITORY_URL")).hasValueSatisfying(v -> {
            assertThat(v.value()).isEqualTo(payload.gitInfo().repoUrl());
            assertThat(v.isPublic()).isFalse();
        });
        assertThat(payload.variable("CI_JOB_TOKEN").orElseThrow().toString()).doesNotContain(payload.token());
    }

    @Test
    void job_variables_follow_the_predefined_ones_then_the_users_and_pipeline_variables_come_last() {
        JobRequestPayload payload = runRspec();
        List<String> keys = payload.variables().stream().map(Variable::key).toList();

        // GitLab's Builder#scoped_variables: ..., the runner's, the job's (yaml, public), the user's, the pipeline's.
        assertThat(keys.indexOf("RAILS_ENV")).isEqualTo(keys.indexOf("CI_RUNNER_TAGS") + 2);
        assertThat(keys.get(keys.indexOf("CI_RUNNER_TAGS") + 1)).isEqualTo("GIT_STRATEGY");
        assertThat(payload.variables().subList(keys.indexOf("RAILS_ENV"), keys.size())).containsExactly(
                new Variable("RAILS_ENV", "test", true, false, false, false),
                new Variable("SECRET", "s3cr3t", true, true, false, false),
                new Variable("CONFIG", "a=b", true, false, true, false),
                new Variable("SHARED", "job", true, false, false, false),
                Variable.predefined("GITLAB_USER_ID", bed.admin.id().toString()),
                Variable.predefined("GITLAB_USER_EMAIL", "root@example.com"),
                Variable.predefined("GITLAB_USER_LOGIN", "root"),
                Variable.predefined("GITLAB_USER_NAME", "Name of root"),
                new Variable("SHARED", "pipeline", false, false, false, false));
        assertThat(payload.variable("SHARED").map(Variable::value)).contains("pipeline");
    }

    @Test
    void steps_image_services_artifacts_and_cache() {
        JobRequestPayload payload = runRspec();

        assertThat(payload.steps()).containsExactly(
                new Step("script", List.of("bundle install", "bundle exec rspec", "echo done"), 1800, "on_success",
                        false),
                new Step("after_script", List.of("cleanup"), 1800, "always", true));
        assertThat(payload.image()).isEqualTo(new Image("ruby:3.3"));
        assertThat(payload.services()).containsExactly(new Image("postgres:16"), new Image("redis:7"));
        // Ci::BuildRunnerPresenter: untracked and exclude only when set; reports named by GitLab's default file name.
        assertThat(payload.artifacts()).containsExactly(
                new Artifact("reports", null, List.of("out/", "coverage/"), List.of("out/*.tmp"), "always",
                        "1 week", "archive", "zip"),
                new Artifact(".env", null, List.of("build.env"), null, "always", "1 week", "dotenv", "gzip"),
                new Artifact("junit.xml", null, List.of("rspec.xml"), null, "always", "1 week", "junit", "gzip"));
        assertThat(payload.cache()).isEmpty();
        assertThat(payload.dependencies()).isEmpty();
    }

    @Test
    void a_plain_job_has_no_image_no_after_script_no_artifacts_and_the_default_timeout() {
        bed.oneStage("plain");
        JobRequestPayload payload = bed.assigned(bed.untaggedRunner());

        assertThat(payload.image()).isNull();
        assertThat(payload.services()).isEmpty();
        assertThat(payload.steps()).containsExactly(new Step("script", List.of(), 3600, "on_success", false));
        assertThat(payload.artifacts()).isEmpty();
        assertThat(payload.runnerInfo().timeout()).isEqualTo(3600);
        // Created without commit facts: GitLab's values for a commit without a message, and for a new ref.
        assertThat(payload.variable("CI_COMMIT_MESSAGE").map(Variable::value)).contains("");
        assertThat(payload.variable("CI_COMMIT_TITLE").map(Variable::value)).contains("No commit message");
        assertThat(payload.variable("CI_COMMIT_DESCRIPTION").map(Variable::value)).contains("");
        assertThat(payload.variable("CI_COMMIT_BEFORE_SHA").map(Variable::value)).contains("0".repeat(40));
        assertThat(payload.variable("CI_COMMIT_AUTHOR").map(Variable::value)).contains("");
    }

    @Test
    void only_reports_when_the_archive_collects_nothing() {
        JobExecution execution = new JobExecution(null, List.of(), List.of(), List.of("make test"), List.of(), null,
                new JobExecution.ArtifactsSpec(null, List.of(), List.of(), false, null, null, null,
                        Map.of("junit", List.of("report.xml"))), null);
        bed.pipeline(List.of("test"), JobSpec.simple("t", "test", 0).withExecution(execution));

        assertThat(bed.assigned(bed.untaggedRunner()).artifacts()).containsExactly(
                new Artifact("junit.xml", null, List.of("report.xml"), null, "always", null, "junit", "gzip"));
    }

    @Test
    void a_manual_job_says_so() {
        Pipeline pipeline = bed.pipeline(List.of("deploy"),
                JobSpec.simple("ship", "deploy", 0).withWhen(WhenCondition.MANUAL, null));
        Job manual = bed.job(pipeline, "ship");
        assertThat(manual.status()).isEqualTo(JobStatus.MANUAL);
        // Played: what JobActionsService does, reduced to the transition.
        bed.repos.jobs().update(manual.apply(JobEvent.ENQUEUE, TransitionContext.plain(), bed.clock.instant()));

        assertThat(bed.assigned(bed.untaggedRunner()).variable("CI_JOB_MANUAL").map(Variable::value))
                .contains("true");
    }

    @Test
    void slugs_follow_gitlab() {
        assertThat(PredefinedVariables.slugify("Feature/Login_Page")).isEqualTo("feature-login-page");
        assertThat(PredefinedVariables.slugify("--v1.2.3--")).isEqualTo("v1-2-3");
        assertThat(PredefinedVariables.slugify("a".repeat(70))).hasSize(63);
        assertThat(PredefinedVariables.slugify("x".repeat(62) + "/y")).isEqualTo("x".repeat(62));
    }

    @Test
    void a_sha256_repository_says_so() {
        Commit commit = Commit.ofSha("ab".repeat(32), COMMIT.committedDate());
        bed.pipeline(bed.project, "main", false, commit, List.of(), List.of("test"), JobSpec.simple("t", "test", 0));
        JobRequestPayload payload = bed.assigned(bed.untaggedRunner());

        assertThat(payload.gitInfo().repoObjectFormat()).isEqualTo("sha256");
        assertThat(payload.gitInfo().beforeSha()).isEqualTo("0".repeat(64));
    }
}
