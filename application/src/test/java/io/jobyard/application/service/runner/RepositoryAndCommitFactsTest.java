package io.jobyard.application.service.runner;

import io.jobyard.application.contract.TestData;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase.CreatePipelineCommand;
import io.jobyard.application.port.in.runner.JobRequestPayload.Variable;
import io.jobyard.application.port.in.runner.JobRequestPayload;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.RepositoryUrl;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14: where a job's {@code git_info} points (the project's repository, a pipeline's own, or none, which tells
 * gitlab-runner not to clone), and the commit and project facts behind {@code CI_COMMIT_*} and {@code CI_PROJECT_*}.
 */
class RepositoryAndCommitFactsTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private final RunnerTestbed bed = new RunnerTestbed();

    private JobRequestPayload run(Project project, Commit commit, String beforeSha, RepositoryUrl override,
                                  JobSpec job) {
        bed.pipeline(new CreatePipelineCommand(ProjectRef.of(project.id()), "main", false, commit,
                PipelineSource.API, List.of("test"), List.of(job), List.of(), beforeSha, override));
        return bed.assigned(bed.untaggedRunner());
    }

    private Project withFacts(String description, String defaultBranch, String repository) {
        return bed.repos.projects().update(bed.project.withFacts(description, defaultBranch,
                repository == null ? null : new RepositoryUrl(repository)));
    }

    private static String value(JobRequestPayload payload, String key) {
        return payload.variable(key).map(Variable::value).orElseThrow(() -> new AssertionError("no " + key));
    }

    @Test
    void without_a_repository_the_runner_is_told_not_to_clone() {
        JobRequestPayload payload = run(bed.project, TestData.commit(1), null, null, JobSpec.simple("t", "test", 0));

        assertThat(payload.variable("GIT_STRATEGY")).contains(Variable.predefined("GIT_STRATEGY", "none"));
        assertThat(payload.gitInfo().repoUrl()).startsWith("https://gitlab-ci-token:" + payload.token() + "@");
        assertThat(value(payload, "CI_REPOSITORY_URL")).isEqualTo(payload.gitInfo().repoUrl());
    }

    @Test
    void a_jobs_own_git_strategy_comes_later_and_wins() {
        JobSpec job = JobSpec.simple("t", "test", 0).withVariables(List.of(JobVariable.of("GIT_STRATEGY", "clone")));
        JobRequestPayload payload = run(bed.project, TestData.commit(1), null, null, job);

        assertThat(payload.variable("GIT_STRATEGY").map(Variable::value)).contains("clone");
    }

    @Test
    void the_projects_repository_is_cloned_as_named_without_the_job_token() {
        Project project = withFacts(null, null, "https://git.example.com/acme/app.git");
        JobRequestPayload payload = run(project, TestData.commit(1), null, null, JobSpec.simple("t", "test", 0));

        assertThat(payload.gitInfo().repoUrl()).isEqualTo("https://git.example.com/acme/app.git");
        assertThat(value(payload, "CI_REPOSITORY_URL")).isEqualTo("https://git.example.com/acme/app.git");
        assertThat(payload.variable("GIT_STRATEGY")).isEmpty();
        assertThat(payload.allowGitFetch()).isTrue();
        assertThat(payload.gitInfo().refspecs()).containsExactly("+refs/heads/main:refs/remotes/origin/main");
        assertThat(payload.gitInfo().isProtected()).isFalse();
    }

    @Test
    void a_pipelines_own_repository_and_before_sha_win() {
        Project project = withFacts(null, null, "https://git.example.com/acme/app.git");
        JobRequestPayload payload = run(project, TestData.commit(1), "f".repeat(40),
                new RepositoryUrl("file:///srv/git/fork.git"), JobSpec.simple("t", "test", 0));

        assertThat(payload.gitInfo().repoUrl()).isEqualTo("file:///srv/git/fork.git");
        assertThat(value(payload, "CI_REPOSITORY_URL")).isEqualTo("file:///srv/git/fork.git");
        assertThat(payload.gitInfo().beforeSha()).isEqualTo("f".repeat(40));
        assertThat(value(payload, "CI_COMMIT_BEFORE_SHA")).isEqualTo("f".repeat(40));
    }

    @Test
    void project_facts_or_gitlabs_values_when_absent() {
        JobRequestPayload plain = run(bed.project, TestData.commit(1), null, null, JobSpec.simple("a", "test", 0));
        assertThat(plain.variable("CI_PROJECT_DESCRIPTION")).contains(Variable.predefined("CI_PROJECT_DESCRIPTION",
                null));
        assertThat(value(plain, "CI_DEFAULT_BRANCH")).isEqualTo("main");
        assertThat(value(plain, "CI_CONFIG_PATH")).isEqualTo(".gitlab-ci.yml");

        Project described = withFacts("The app", "trunk", null);
        JobRequestPayload told = run(described, TestData.commit(2), null, null, JobSpec.simple("b", "test", 0));
        assertThat(value(told, "CI_PROJECT_DESCRIPTION")).isEqualTo("The app");
        assertThat(value(told, "CI_DEFAULT_BRANCH")).isEqualTo("trunk");
    }

    @Test
    void commit_title_and_description_follow_gitlabs_commit_rules() {
        OffsetDateTime when = OffsetDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.ofHours(1));
        Commit commit = new Commit(SHA, "Ship it", "Ship it\r\n\r\nwith the notes\n", "Ada", "ada@example.com",
                when, "Ada", "ada@example.com", when, List.of());
        JobRequestPayload payload = run(bed.project, commit, null, null, JobSpec.simple("t", "test", 0));

        assertThat(value(payload, "CI_COMMIT_MESSAGE")).isEqualTo("Ship it\r\n\r\nwith the notes\n");
        assertThat(value(payload, "CI_COMMIT_TITLE")).isEqualTo("Ship it");
        assertThat(value(payload, "CI_COMMIT_DESCRIPTION")).isEqualTo("\n\r\nwith the notes");
        assertThat(value(payload, "CI_COMMIT_MESSAGE_IS_TRUNCATED")).isEqualTo("false");
        assertThat(value(payload, "CI_COMMIT_TIMESTAMP")).isEqualTo("2026-03-02T09:00:00+01:00");
        assertThat(value(payload, "CI_COMMIT_AUTHOR")).isEqualTo("Ada <ada@example.com>");
        assertThat(value(payload, "CI_COMMIT_REF_PROTECTED")).isEqualTo("false");
    }

    @Test
    void a_long_title_makes_the_whole_message_the_description() {
        String title = "x".repeat(100);
        assertThat(PredefinedVariables.description(title + "\nbody", PredefinedVariables.fullTitle(title + "\nbody")))
                .isEqualTo(title + "\nbody");
        assertThat(PredefinedVariables.description("one line", "one line")).isEmpty();
        assertThat(PredefinedVariables.fullTitle("  \n ")).isEqualTo("No commit message");
    }

    @Test
    void a_message_over_100000_bytes_is_cut_on_a_character_and_says_so() {
        String message = "é".repeat(60_000);
        OffsetDateTime when = OffsetDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);
        Commit commit = new Commit(SHA, "", message, null, null, when, null, null, when, List.of());
        JobRequestPayload payload = run(bed.project, commit, null, null, JobSpec.simple("t", "test", 0));

        assertThat(value(payload, "CI_COMMIT_MESSAGE_IS_TRUNCATED")).isEqualTo("true");
        assertThat(value(payload, "CI_COMMIT_MESSAGE")).isEqualTo("é".repeat(50_000));
        assertThat(value(payload, "CI_COMMIT_TITLE")).isEqualTo("é".repeat(50_000));
    }

    @Test
    void group_names_drop_parallel_and_matrix_suffixes() {
        assertThat(PredefinedVariables.groupName("rspec 1/2")).isEqualTo("rspec");
        assertThat(PredefinedVariables.groupName("build: [linux, amd64]")).isEqualTo("build");
        assertThat(PredefinedVariables.groupName("test 2:3")).isEqualTo("test");
        assertThat(PredefinedVariables.groupName("deploy")).isEqualTo("deploy");
        assertThat(PredefinedVariables.groupName("v1 2 3 4 5")).isEqualTo("v1");
    }

    @Test
    void git_depth_is_read_as_ruby_reads_an_integer() {
        assertThat(JobPayloadAssembler.rubyToInt("10")).isEqualTo(10);
        assertThat(JobPayloadAssembler.rubyToInt(" 7 commits")).isEqualTo(7);
        assertThat(JobPayloadAssembler.rubyToInt("1_000")).isEqualTo(1000);
        assertThat(JobPayloadAssembler.rubyToInt("none")).isZero();
        assertThat(JobPayloadAssembler.rubyToInt(null)).isZero();
        assertThat(JobPayloadAssembler.rubyToInt("99999999999")).isEqualTo(Integer.MAX_VALUE);
    }
}
