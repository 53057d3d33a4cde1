package io.jobyard.application.service.runner;

import io.jobyard.application.Services;
import io.jobyard.application.service.PortCalls;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.port.in.runner.JobRequestPayload;
import io.jobyard.application.port.in.runner.RequestJobUseCase.Assigned;
import io.jobyard.application.port.in.runner.RequestJobUseCase.RunnerInfo;
import io.jobyard.application.port.in.runner.RunnersUseCase.CreatedRunner;
import io.jobyard.application.port.in.runner.UpdateJobUseCase.JobUpdated;
import io.jobyard.application.port.in.runner.UpdateJobUseCase.Outcome;
import io.jobyard.application.port.in.runner.UpdateJobUseCase.UpdateJobCommand;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.error.RunnerForbiddenException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.RetryPolicy;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.ProjectId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code PUT /jobs/:id}: the runner's state reports, every refusal of contract §5.2, and what they do to pipelines. */
class UpdateJobServiceTest {
    private final RunnerTestbed bed = new RunnerTestbed();
    private final CreatedRunner runner = bed.untaggedRunner();

    private Pipeline buildThenTest() {
        return bed.pipeline(List.of("build", "test"), JobSpec.simple("build", "build", 0),
                JobSpec.simple("test", "test", 1));
    }

    private JobId id(JobRequestPayload payload) {
        return JobId.of(payload.id());
    }

    private JobUpdated update(JobId job, String token, String state) {
        return bed.updateJob.update(new UpdateJobCommand(job, token, state, null, null));
    }

    private static RunnerForbiddenException refusal(Runnable call) {
        try {
            call.run();
        } catch (RunnerForbiddenException e) {
            return e;
        }
        throw new AssertionError("expected a RunnerForbiddenException");
    }

    // ------------------------------------------------------------------------------------------------- refusals

    @Test
    void a_missing_token_is_a_parameter_error() {
        buildThenTest();
        JobRequestPayload payload = bed.assigned(runner);

        for (String missing : new String[] {null, ""}) {
            assertThatThrownBy(() -> update(id(payload), missing, "success"))
                    .isInstanceOf(InvalidParameterException.class).hasMessage("token is missing");
        }
        assertThat(bed.job(id(payload)).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void an_unknown_job_or_a_token_that_is_not_the_jobs_own_is_a_bare_403() {
        bed.oneStage("a", "b");
        JobRequestPayload a = bed.assigned(runner);
        JobRequestPayload b = bed.assigned(runner);

        for (Runnable call : List.<Runnable>of(
                () -> update(JobId.of(9_999), a.token(), "success"),
                () -> update(id(a), "glcbt-wrong", "success"),
                () -> update(id(a), b.token(), "success"))) {
            RunnerForbiddenException e = refusal(call);
            assertThat(e.reason()).isEmpty();
            assertThat(e.jobStatus()).isEmpty();
        }
        assertThat(bed.job(id(a)).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void a_job_of_a_deleted_project_is_refused_with_that_reason() {
        Pipeline pipeline = bed.oneStage("x");
        String token = "glcbt-orphan-token-0123456789";
        Job orphan = bed.repos.jobs().insert(bed.data.jobBuilder(pipeline, "orphan")
                .projectId(ProjectId.of(9_999)).status(JobStatus.RUNNING).startedAt(bed.clock.instant())
                .tokenDigest(TestData.digest(token)).build());

        RunnerForbiddenException e = refusal(() -> update(orphan.id(), token, "success"));
        assertThat(e.reason()).contains("Project has been deleted!");
        assertThat(e.jobStatus()).isEmpty();
    }

    @Test
    void an_erased_job_is_refused_before_its_state_is_looked_at() {
        buildThenTest();
        JobRequestPayload payload = bed.runToSuccess(runner);
        Job done = bed.job(id(payload));
        bed.repos.jobs().update(done.erase(bed.admin.id(), bed.clock.instant()));

        RunnerForbiddenException e = refusal(() -> bed.report(payload, "running"));
        assertThat(e.reason()).contains("Job has been erased!");
        assertThat(e.jobStatus()).isEmpty();
    }

    @Test
    void a_finished_job_is_not_processing_and_the_runner_learns_its_status() {
        buildThenTest();
        JobRequestPayload payload = bed.runToSuccess(runner);

        RunnerForbiddenException e = refusal(() -> bed.report(payload, "failed"));
        assertThat(e.reason()).contains("Job is not processing on runner");
        assertThat(e.jobStatus()).contains(JobStatus.SUCCESS);
        assertThat(bed.job(id(payload)).status()).isEqualTo(JobStatus.SUCCESS);
    }

    @Test
    void a_job_canceled_while_running_tells_the_runner_to_stop_on_its_next_update() {
        Pipeline pipeline = buildThenTest();
        JobRequestPayload payload = bed.assigned(runner);
        Job running = bed.job(id(payload));
        // The runner does not cancel gracefully: GitLab cancels at once.
        bed.repos.jobs().update(running.cancel(false, bed.clock.instant()));

        RunnerForbiddenException e = refusal(() -> bed.report(payload, "running"));
        assertThat(e.reason()).contains("Job is not processing on runner");
        assertThat(e.jobStatus()).contains(JobStatus.CANCELED);
        assertThat(bed.job(pipeline, "test").status()).isEqualTo(JobStatus.CREATED);
    }

    @Test
    void an_expired_token_drops_the_job_on_a_state_update() {
        Pipeline pipeline = buildThenTest();
        JobRequestPayload payload = bed.assigned(runner);
        bed.report(payload, "running");
        // One hour of timeout plus ten minutes of leeway have passed.
        bed.clock.advance(Duration.ofMinutes(70).plusSeconds(1));

        RunnerForbiddenException e = refusal(() -> bed.report(payload, "running"));
        assertThat(e.reason()).contains("Job token has expired");
        assertThat(e.jobStatus()).contains(JobStatus.FAILED);
        Job dropped = bed.job(id(payload));
        assertThat(dropped.status()).isEqualTo(JobStatus.FAILED);
        assertThat(dropped.failureReason()).isEqualTo(FailureReason.JOB_TOKEN_EXPIRED);
        assertThat(bed.job(pipeline, "test").status()).isEqualTo(JobStatus.SKIPPED);
        assertThat(bed.reload(pipeline).status()).isEqualTo(JobStatus.FAILED);
        assertThat(bed.archivedLogs()).extracting(Job::id).containsExactly(id(payload));

        // Afterwards the job is simply no longer processing.
        assertThat(refusal(() -> bed.report(payload, "success")).reason()).contains("Job is not processing on runner");
    }

    @Test
    void an_expired_token_keeps_the_job_when_the_caller_does_not_end_jobs() {
        buildThenTest();
        JobRequestPayload payload = bed.assigned(runner);
        bed.clock.advance(Duration.ofMinutes(71));

        RunnerForbiddenException e = refusal(() -> bed.authenticator.authenticate(id(payload), payload.token(),
                JobTokenAuthenticator.OnExpiry.KEEP_JOB));
        assertThat(e.reason()).contains("Job token has expired");
        assertThat(e.jobStatus()).contains(JobStatus.RUNNING);
        assertThat(bed.job(id(payload)).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void the_token_lives_as_long_as_the_jobs_own_timeout_plus_the_leeway() {
        JobSpec quick = JobSpec.simple("quick", "test", 0).withExecution(new JobExecution(
                null, List.of(), List.of(), List.of("true"), List.of(), null, null, 600));
        bed.pipeline(List.of("test"), quick);
        JobRequestPayload payload = bed.assigned(runner);

        bed.clock.advance(Duration.ofMinutes(20));
        assertThat(bed.report(payload, "running").jobStatus()).isEqualTo(JobStatus.RUNNING);
        bed.clock.advance(Duration.ofSeconds(1));
        assertThat(refusal(() -> bed.report(payload, "running")).reason()).contains("Job token has expired");
    }

    // --------------------------------------------------------------------------------------------------- states

    @Test
    void success_finishes_the_job_and_enqueues_the_next_stage() {
        Pipeline pipeline = buildThenTest();
        JobRequestPayload payload = bed.assigned(runner);
        bed.clock.advance(Duration.ofMinutes(3));

        JobUpdated updated = bed.report(payload, "success");

        assertThat(updated).isEqualTo(new JobUpdated(Outcome.UPDATED, JobStatus.SUCCESS));
        Job job = bed.job(id(payload));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(job.finishedAt()).isEqualTo(bed.clock.instant());
        assertThat(bed.job(pipeline, "test").status()).isEqualTo(JobStatus.PENDING);
        assertThat(bed.reload(pipeline).status()).isEqualTo(JobStatus.RUNNING);
        // The answer does not wait for the archive: the ending queued it, the background worker makes it.
        assertThat(bed.queuedLogs()).containsExactly(id(payload));
        assertThat(bed.repos.artifacts().findByJobAndType(id(payload), ArtifactFileType.TRACE)).isEmpty();
        assertThat(bed.archivedLogs()).extracting(Job::id).containsExactly(id(payload));
        assertThat(bed.queuedLogs()).isEmpty();

        bed.runToSuccess(runner);
        assertThat(bed.reload(pipeline).status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(bed.reload(pipeline).finishedAt()).isEqualTo(bed.clock.instant());
    }

    @Test
    void failed_records_the_reason_and_exit_code_and_skips_what_follows() {
        Pipeline pipeline = buildThenTest();
        JobRequestPayload payload = bed.assigned(runner);

        JobUpdated updated = bed.fail(payload, "script_failure", 2);

        assertThat(updated).isEqualTo(new JobUpdated(Outcome.UPDATED, JobStatus.FAILED));
        Job job = bed.job(id(payload));
        assertThat(job.failureReason()).isEqualTo(FailureReason.SCRIPT_FAILURE);
        assertThat(job.exitCode()).isEqualTo(2);
        assertThat(bed.job(pipeline, "test").status()).isEqualTo(JobStatus.SKIPPED);
        assertThat(bed.reload(pipeline).status()).isEqualTo(JobStatus.FAILED);
        assertThat(bed.archivedLogs()).extracting(Job::id).containsExactly(id(payload));
    }

    @Test
    void an_unknown_or_missing_failure_reason_is_unknown_failure() {
        bed.oneStage("a", "b");
        JobRequestPayload a = bed.assigned(runner);
        JobRequestPayload b = bed.assigned(runner);

        bed.fail(a, "the_dog_ate_it", null);
        bed.fail(b, null, 1);

        assertThat(bed.job(id(a)).failureReason()).isEqualTo(FailureReason.UNKNOWN_FAILURE);
        assertThat(bed.job(id(a)).exitCode()).isNull();
        assertThat(bed.job(id(b)).failureReason()).isEqualTo(FailureReason.UNKNOWN_FAILURE);
        assertThat(bed.job(id(b)).exitCode()).isEqualTo(1);
    }

    @Test
    void an_allowed_failure_lets_the_next_stage_run() {
        Pipeline pipeline = bed.pipeline(List.of("build", "test"),
                JobSpec.simple("flaky", "build", 0).withAllowFailure(true), JobSpec.simple("test", "test", 1));
        bed.fail(bed.assigned(runner), "script_failure", 1);

        assertThat(bed.job(pipeline, "test").status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void an_ending_reads_its_job_twice_and_answers_it_as_processing_left_it() {
        bed.pipeline(List.of("test"), JobSpec.simple("flaky", "test", 0).withRetry(new RetryPolicy(2, Set.of())));
        AtomicInteger reads = new AtomicInteger();
        Services counted = bed.ports.wire(bed.services.settings(),
                ports -> ports.jobs = PortCalls.counting(JobRepository.class, ports.jobs, "findById"::equals, reads));
        JobRequestPayload first = bed.assigned(runner);

        JobUpdated updated = counted.updateJob().update(
                new UpdateJobCommand(id(first), first.token(), "failed", "script_failure", 1));

        assertThat(updated.jobStatus()).isEqualTo(JobStatus.FAILED);
        // The authentication's read and the transition's fresh one: the pipeline's processing reads the job with its
        // pipeline's, and the answer comes from there (a runner's every PUT pays each read).
        assertThat(reads).hasValue(2);

        // What processing did to the job after the transition (here: retried it) is in the answer.
        JobRequestPayload second = bed.assigned(runner);
        reads.set(0);
        JobFinisher.Finished finished = counted.jobFinisher().attempt(id(second),
                fresh -> fresh.drop(FailureReason.SCRIPT_FAILURE, 1, bed.clock.instant()));
        assertThat(reads).hasValue(1);
        assertThat(finished.job().retried()).isTrue();
        assertThat(finished.job()).isEqualTo(bed.job(id(second)));
        assertThat(finished.completedNow()).isTrue();
    }

    @Test
    void a_failure_that_retry_allows_queues_a_new_run_of_the_job() {
        Pipeline pipeline = bed.pipeline(List.of("test"),
                JobSpec.simple("flaky", "test", 0).withRetry(new RetryPolicy(1, Set.of())));
        JobRequestPayload first = bed.assigned(runner);

        JobUpdated updated = bed.fail(first, "script_failure", 1);

        assertThat(updated.jobStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(bed.job(id(first)).retried()).isTrue();
        Job retry = bed.job(pipeline, "flaky");
        assertThat(retry.id()).isNotEqualTo(id(first));
        assertThat(retry.status()).isEqualTo(JobStatus.PENDING);
        assertThat(bed.assigned(runner).id()).isEqualTo(retry.id().value());
    }

    @Test
    void unknown_or_missing_states_are_answered_400_and_change_nothing() {
        buildThenTest();
        JobRequestPayload payload = bed.assigned(runner);
        Job before = bed.job(id(payload));

        for (String state : new String[] {"bogus", null, "canceled", "pending"}) {
            assertThat(bed.report(payload, state)).isEqualTo(new JobUpdated(Outcome.UNKNOWN_STATE, JobStatus.RUNNING));
        }
        assertThat(bed.job(id(payload))).isEqualTo(before);
    }

    @Test
    void running_is_a_heartbeat_written_only_when_the_last_one_is_old() {
        buildThenTest();
        JobRequestPayload payload = bed.assigned(runner);
        Job started = bed.job(id(payload));

        bed.clock.advance(Duration.ofMinutes(5));
        assertThat(bed.report(payload, "running")).isEqualTo(new JobUpdated(Outcome.UPDATED, JobStatus.RUNNING));
        assertThat(bed.job(id(payload))).isEqualTo(started);

        bed.clock.advance(Duration.ofMinutes(10));
        bed.report(payload, "running");
        Job touched = bed.job(id(payload));
        assertThat(touched.updatedAt()).isEqualTo(bed.clock.instant());
        assertThat(touched.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(bed.archivedLogs()).isEmpty();
    }

    // -------------------------------------------------------------------------------------------------- canceling

    @Test
    void a_job_canceled_gracefully_keeps_reporting_and_ends_canceled_whatever_the_runner_says() {
        for (String finalState : new String[] {"success", "failed"}) {
            RunnerTestbed fresh = new RunnerTestbed();
            CreatedRunner graceful = fresh.untaggedRunner();
            Pipeline pipeline = fresh.pipeline(List.of("build", "test"), JobSpec.simple("build", "build", 0),
                    JobSpec.simple("test", "test", 1));
            JobRequestPayload payload = ((Assigned) fresh.request(graceful,
                    Map.of(RunnerInfo.CANCEL_GRACEFULLY, true))).payload();
            fresh.log(JobId.of(payload.id()));
            Job running = fresh.job(JobId.of(payload.id()));
            assertThat(fresh.storedRunner(graceful).gracefulCancel()).isTrue();
            fresh.repos.jobs().update(running.cancel(true, fresh.clock.instant()));

            // The runner runs after_script and keeps reporting; it learns the job is being canceled.
            assertThat(fresh.report(payload, "running"))
                    .isEqualTo(new JobUpdated(Outcome.UPDATED, JobStatus.CANCELING));

            JobUpdated end = finalState.equals("success") ? fresh.report(payload, "success")
                    : fresh.fail(payload, "script_failure", 1);

            assertThat(end).isEqualTo(new JobUpdated(Outcome.UPDATED, JobStatus.CANCELED));
            Job canceled = fresh.job(JobId.of(payload.id()));
            assertThat(canceled.status()).isEqualTo(JobStatus.CANCELED);
            assertThat(canceled.failureReason()).isNull();
            assertThat(canceled.finishedAt()).isEqualTo(fresh.clock.instant());
            assertThat(fresh.job(pipeline, "test").status()).isEqualTo(JobStatus.SKIPPED);
            assertThat(fresh.reload(pipeline).status()).isEqualTo(JobStatus.CANCELED);
            assertThat(fresh.archivedLogs()).extracting(Job::id).containsExactly(canceled.id());
        }
    }
}
