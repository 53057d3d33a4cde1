package io.jobyard.application.service.runner;

import io.jobyard.application.contract.TestData;
import io.jobyard.application.port.in.runner.JobRequestPayload;
import io.jobyard.application.port.in.runner.RequestJobUseCase.Assigned;
import io.jobyard.application.port.in.runner.RequestJobUseCase.JobRequest;
import io.jobyard.application.port.in.runner.RequestJobUseCase.NoJob;
import io.jobyard.application.port.in.runner.RequestJobUseCase.RunnerInfo;
import io.jobyard.application.port.in.runner.RunnersUseCase.CreatedRunner;
import io.jobyard.application.port.in.runner.RunnersUseCase.NewRunner;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.runner.RunnerType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.jobyard.application.service.runner.RunnerTestbed.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestJobServiceTest {
    private final RunnerTestbed bed = new RunnerTestbed();

    @Test
    void an_unknown_runner_token_is_forbidden() {
        bed.oneStage("build");
        assertThatThrownBy(() -> bed.requestJob.request(new JobRequest("glrt-nope", null, null, null)))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> bed.requestJob.request(new JobRequest(null, null, null, null)))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void the_oldest_pending_job_moves_to_running_for_the_runner_with_a_fresh_token() {
        Pipeline pipeline = bed.oneStage("first", "second");
        CreatedRunner runner = bed.untaggedRunner();
        bed.clock.advance(Duration.ofSeconds(42));

        JobRequestPayload payload = bed.assigned(runner);

        Job job = bed.job(JobId.of(payload.id()));
        assertThat(job.name()).isEqualTo("first");
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.runnerId()).isEqualTo(runner.runner().id());
        assertThat(job.startedAt()).isEqualTo(bed.clock.instant());
        assertThat(payload.token()).startsWith("glcbt-").hasSizeGreaterThanOrEqualTo(26);
        assertThat(payload.token().substring("glcbt-".length())).matches("[A-Za-z0-9_-]{20,}");
        // Only the digest is stored.
        assertThat(job.tokenDigest()).isEqualTo(TestData.digest(payload.token()));
        assertThat(payload.jobInfo().timeInQueueSeconds()).isEqualTo(42);
        assertThat(bed.reload(pipeline).status()).isEqualTo(JobStatus.RUNNING);

        JobRequestPayload next = bed.assigned(runner);
        assertThat(bed.job(JobId.of(next.id())).name()).isEqualTo("second");
        assertThat(next.token()).isNotEqualTo(payload.token());
        assertThat(bed.request(runner)).isInstanceOf(NoJob.class);
    }

    @Test
    void untagged_jobs_go_only_to_runners_that_run_untagged_jobs() {
        Pipeline pipeline = bed.oneStage("plain");
        CreatedRunner taggedOnly = bed.instanceRunner(List.of("docker"), false);
        CreatedRunner untagged = bed.instanceRunner(List.of("docker"), true);

        assertThat(bed.request(taggedOnly)).isInstanceOf(NoJob.class);
        assertThat(bed.job(pipeline, "plain").status()).isEqualTo(JobStatus.PENDING);
        assertThat(bed.assigned(untagged).jobInfo().name()).isEqualTo("plain");
    }

    @Test
    void tagged_jobs_go_only_to_runners_having_every_tag() {
        Pipeline pipeline = bed.pipeline(List.of("test"),
                JobSpec.simple("gpu", "test", 0).withTags(List.of("linux", "gpu")));
        CreatedRunner linuxOnly = bed.instanceRunner(List.of("linux"), true);
        CreatedRunner gpuLinux = bed.instanceRunner(List.of("gpu", "linux", "docker"), false);

        assertThat(bed.request(linuxOnly)).isInstanceOf(NoJob.class);
        assertThat(bed.job(pipeline, "gpu").status()).isEqualTo(JobStatus.PENDING);
        assertThat(bed.assigned(gpuLinux).jobInfo().name()).isEqualTo("gpu");
    }

    @Test
    void a_runner_skips_jobs_it_cannot_take_and_gets_a_later_one() {
        bed.pipeline(List.of("test"),
                JobSpec.simple("needs-mac", "test", 0).withTags(List.of("macos")),
                JobSpec.simple("any", "test", 0));
        CreatedRunner runner = bed.untaggedRunner();

        assertThat(bed.assigned(runner).jobInfo().name()).isEqualTo("any");
    }

    @Test
    void project_runners_take_only_their_projects_jobs_and_instance_runners_take_any() {
        Project other = bed.data.project("acme", "other", Visibility.PRIVATE, false);
        Pipeline older = bed.oneStage("ours");
        Pipeline theirs = bed.pipeline(other, "main", false, TestData.commit(TestData.unique()), List.of(),
                List.of("test"), JobSpec.simple("theirs", "test", 0));
        CreatedRunner otherProjectRunner = bed.runners.create(as(bed.admin),
                NewRunner.project(other.id(), "other's", List.of()));

        JobRequestPayload payload = bed.assigned(otherProjectRunner);
        assertThat(payload.jobInfo().name()).isEqualTo("theirs");
        assertThat(bed.request(otherProjectRunner)).isInstanceOf(NoJob.class);
        assertThat(bed.job(older, "ours").status()).isEqualTo(JobStatus.PENDING);
        assertThat(bed.job(theirs, "theirs").status()).isEqualTo(JobStatus.RUNNING);

        assertThat(bed.assigned(bed.untaggedRunner()).jobInfo().name()).isEqualTo("ours");
    }

    @Test
    void a_paused_runner_gets_no_job() {
        Pipeline pipeline = bed.oneStage("build");
        CreatedRunner paused = bed.runners.create(as(bed.admin),
                new NewRunner(RunnerType.INSTANCE_TYPE, null, "paused", true, true, List.of()));

        assertThat(bed.request(paused)).isInstanceOf(NoJob.class);
        assertThat(bed.job(pipeline, "build").status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void created_manual_and_finished_jobs_are_never_handed_out() {
        bed.pipeline(List.of("build", "deploy"),
                JobSpec.simple("later", "deploy", 1),
                JobSpec.simple("manual", "build", 0).withWhen(WhenCondition.MANUAL, null));
        CreatedRunner runner = bed.untaggedRunner();

        // "manual" waits for a person, "later" for its stage: nothing is pending.
        assertThat(bed.request(runner)).isInstanceOf(NoJob.class);
    }

    @Test
    void the_last_update_value_stays_while_the_queue_stays_and_changes_with_it() {
        CreatedRunner runner = bed.instanceRunner(List.of("docker"), false);
        String first = ((NoJob) bed.request(runner)).lastUpdate();
        String again = ((NoJob) bed.requestJob.request(new JobRequest(runner.token(), null, first, null)))
                .lastUpdate();
        assertThat(again).isEqualTo(first).isNotBlank();

        // A job this runner cannot take still changes the queue it polls.
        bed.oneStage("untagged");
        String afterNewJob = ((NoJob) bed.requestJob.request(new JobRequest(runner.token(), null, first, null)))
                .lastUpdate();
        assertThat(afterNewJob).isNotEqualTo(first);
    }

    @Test
    void the_queue_is_unchanged_only_for_the_value_of_the_last_204_and_only_until_a_job_arrives() {
        CreatedRunner runner = bed.untaggedRunner();
        String value = ((NoJob) bed.request(runner)).lastUpdate();

        assertThat(bed.requestJob.queueUnchanged(runner.token(), value)).isTrue();
        assertThat(bed.requestJob.queueUnchanged(runner.token(), "something-else")).isFalse();
        assertThat(bed.requestJob.queueUnchanged(runner.token(), null)).isFalse();

        bed.oneStage("arrives");
        assertThat(bed.requestJob.queueUnchanged(runner.token(), value)).isFalse();
        assertThatThrownBy(() -> bed.requestJob.queueUnchanged("glrt-unknown", value))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void a_last_update_equal_to_the_queue_value_never_hides_a_job() {
        CreatedRunner runner = bed.untaggedRunner();
        String value = ((NoJob) bed.request(runner)).lastUpdate();
        bed.oneStage("arrives");

        assertThat(bed.requestJob.request(new JobRequest(runner.token(), null, value, null)))
                .isInstanceOf(Assigned.class);
    }

    @Test
    void the_runner_records_its_contact_and_whether_it_cancels_gracefully() {
        CreatedRunner runner = bed.untaggedRunner();
        assertThat(bed.storedRunner(runner).contactedAt()).isNull();

        bed.request(runner, Map.of(RunnerInfo.CANCEL_GRACEFULLY, true));
        assertThat(bed.storedRunner(runner).gracefulCancel()).isTrue();
        assertThat(bed.storedRunner(runner).contactedAt()).isEqualTo(RunnerTestbed.NOW);

        bed.clock.advance(Duration.ofMinutes(5));
        bed.request(runner, Map.of());
        assertThat(bed.storedRunner(runner).gracefulCancel()).isFalse();
        assertThat(bed.storedRunner(runner).contactedAt()).isEqualTo(bed.clock.instant());
    }

    @Test
    void taking_a_job_from_a_deleted_runner_is_impossible() {
        bed.oneStage("build");
        CreatedRunner runner = bed.untaggedRunner();
        bed.runners.delete(runner.token());

        assertThatThrownBy(() -> bed.request(runner)).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void a_job_needing_a_feature_the_runner_did_not_announce_is_dropped_as_runner_unsupported() {
        JobExecution reports = new JobExecution(null, List.of(), List.of(), List.of("make test"), List.of(), null,
                new JobExecution.ArtifactsSpec(null, List.of(), List.of(), false, null, null, null,
                        Map.of("junit", List.of("report.xml"))), null);
        Pipeline pipeline = bed.pipeline(List.of("test"), JobSpec.simple("reports", "test", 0).withExecution(reports),
                JobSpec.simple("plain", "test", 0));
        var runner = bed.untaggedRunner();

        // GitLab's RegisterJobService: the job needing upload_multiple_artifacts goes to a runner that says nothing
        // of its features only to be dropped; the runner gets the next job in the same request.
        var result = bed.request(runner, Map.of("trace_checksum", true));
        assertThat(result).isInstanceOf(Assigned.class);
        assertThat(((Assigned) result).payload().jobInfo().name()).isEqualTo("plain");
        Job dropped = bed.job(pipeline, "reports");
        assertThat(dropped.status()).isEqualTo(JobStatus.FAILED);
        assertThat(dropped.failureReason()).isEqualTo(FailureReason.RUNNER_UNSUPPORTED);
        assertThat(dropped.runnerId()).isEqualTo(runner.runner().id());
    }

    @Test
    void a_runner_announcing_the_feature_gets_the_job() {
        JobExecution exclude = new JobExecution(null, List.of(), List.of(), List.of("make"), List.of(), null,
                new JobExecution.ArtifactsSpec(null, List.of("out/"), List.of("out/*.tmp"), false, null, null, null,
                        Map.of()), null);
        Pipeline pipeline = bed.pipeline(List.of("test"), JobSpec.simple("build", "test", 0).withExecution(exclude));

        var result = bed.request(bed.untaggedRunner(), Map.of("artifacts_exclude", true));
        assertThat(result).isInstanceOf(Assigned.class);
        assertThat(bed.job(pipeline, "build").status()).isEqualTo(JobStatus.RUNNING);
    }
}
