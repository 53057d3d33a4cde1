package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.runner.JobRequestPayload;
import io.jobyard.application.port.in.runner.RunnersUseCase.CreatedRunner;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.RetryPolicy;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StuckJobSweeperTest {
    private final RunnerTestbed bed = new RunnerTestbed();
    private final CreatedRunner runner = bed.untaggedRunner();

    private StuckJobSweeper sweeper(int batchSize) {
        return bed.services.stuckJobSweeper(batchSize);
    }

    private static JobSpec withTimeout(String name, int seconds) {
        return JobSpec.simple(name, "build", 0).withExecution(new JobExecution(null, List.of(), List.of(),
                List.of("true"), List.of(), null, null, seconds));
    }

    @Test
    void a_running_job_quiet_for_longer_than_its_timeout_is_dropped_and_its_pipeline_moves_on() {
        Pipeline pipeline = bed.pipeline(List.of("build", "test"), JobSpec.simple("build", "build", 0),
                JobSpec.simple("test", "test", 1));
        JobRequestPayload payload = bed.assigned(runner);
        StuckJobSweeper sweeper = sweeper(StuckJobSweeper.DEFAULT_BATCH_SIZE);

        bed.clock.advance(Duration.ofMinutes(59));
        assertThat(sweeper.sweep()).isZero();
        assertThat(bed.job(JobId.of(payload.id())).status()).isEqualTo(JobStatus.RUNNING);

        bed.clock.advance(Duration.ofMinutes(1));
        assertThat(sweeper.sweep()).isEqualTo(1);
        Job dropped = bed.job(JobId.of(payload.id()));
        assertThat(dropped.status()).isEqualTo(JobStatus.FAILED);
        assertThat(dropped.failureReason()).isEqualTo(FailureReason.STUCK_OR_TIMEOUT_FAILURE);
        assertThat(dropped.finishedAt()).isEqualTo(bed.clock.instant());
        assertThat(bed.job(pipeline, "test").status()).isEqualTo(JobStatus.SKIPPED);
        assertThat(bed.reload(pipeline).status()).isEqualTo(JobStatus.FAILED);
        assertThat(bed.archivedLogs()).extracting(Job::id).containsExactly(dropped.id());
        assertThat(sweeper.sweep()).isZero();
    }

    @Test
    void heartbeats_keep_a_job_alive_past_the_quiet_time_that_drops_a_silent_one() {
        Pipeline pipeline = bed.oneStage("talking", "silent");
        JobRequestPayload talking = bed.assigned(runner);
        bed.assigned(runner);
        StuckJobSweeper sweeper = sweeper(10);

        for (int minute = 20; minute <= 60; minute += 20) {
            bed.clock.advance(Duration.ofMinutes(20));
            bed.report(talking, "running");
            if (minute < 60) {
                assertThat(sweeper.sweep()).isZero();
            }
        }

        assertThat(sweeper.sweep()).isEqualTo(1);
        assertThat(bed.job(pipeline, "talking").status()).isEqualTo(JobStatus.RUNNING);
        assertThat(bed.job(pipeline, "silent").failureReason()).isEqualTo(FailureReason.STUCK_OR_TIMEOUT_FAILURE);
    }

    @Test
    void each_job_is_judged_by_its_own_timeout() {
        bed.pipeline(List.of("build"), withTimeout("short", 600), withTimeout("long", 7_200));
        JobRequestPayload shortJob = bed.assigned(runner);
        JobRequestPayload longJob = bed.assigned(runner);

        bed.clock.advance(Duration.ofMinutes(61));
        assertThat(sweeper(10).sweep()).isEqualTo(1);

        assertThat(bed.job(JobId.of(shortJob.id())).failureReason()).isEqualTo(FailureReason.STUCK_OR_TIMEOUT_FAILURE);
        assertThat(bed.job(JobId.of(longJob.id())).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void canceling_and_pending_jobs_are_left_alone() {
        Pipeline pipeline = bed.oneStage("canceling", "waiting");
        JobRequestPayload payload = bed.assigned(runner);
        Job running = bed.job(JobId.of(payload.id()));
        bed.repos.jobs().update(running.cancel(true, bed.clock.instant()));

        bed.clock.advance(Duration.ofHours(3));
        assertThat(sweeper(10).sweep()).isZero();
        assertThat(bed.job(pipeline, "canceling").status()).isEqualTo(JobStatus.CANCELING);
        assertThat(bed.job(pipeline, "waiting").status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void a_sweep_works_through_many_batches() {
        JobSpec[] specs = new JobSpec[25];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = JobSpec.simple("job-" + i, "build", 0);
        }
        bed.pipeline(List.of("build"), specs);
        for (int i = 0; i < specs.length; i++) {
            bed.assigned(runner);
        }

        bed.clock.advance(Duration.ofHours(2));
        assertThat(sweeper(4).sweep()).isEqualTo(25);
        assertThat(bed.repos.jobs().findRunningNotUpdatedSince(bed.clock.instant(), 100)).isEmpty();
    }

    @Test
    void two_sweepers_on_different_instances_drop_each_job_once() throws Exception {
        JobSpec[] specs = new JobSpec[40];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = JobSpec.simple("job-" + i, "build", 0);
        }
        bed.pipeline(List.of("build"), specs);
        for (int i = 0; i < specs.length; i++) {
            bed.assigned(runner);
        }
        bed.clock.advance(Duration.ofHours(2));

        List<Thread> threads = new ArrayList<>();
        int[] dropped = new int[2];
        for (int i = 0; i < 2; i++) {
            int slot = i;
            StuckJobSweeper own = sweeper(5);
            threads.add(new Thread(() -> dropped[slot] = own.sweep()));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(dropped[0] + dropped[1]).isEqualTo(40);
        assertThat(bed.archivedLogs()).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    void a_stuck_job_with_retry_for_that_reason_runs_again() {
        Pipeline pipeline = bed.pipeline(List.of("build"), JobSpec.simple("flaky", "build", 0)
                .withRetry(new RetryPolicy(1, Set.of("stuck_or_timeout_failure"))));
        JobRequestPayload first = bed.assigned(runner);

        bed.clock.advance(Duration.ofHours(2));
        sweeper(10).sweep();

        Job retry = bed.job(pipeline, "flaky");
        assertThat(retry.id().value()).isNotEqualTo(first.id());
        assertThat(retry.status()).isEqualTo(JobStatus.PENDING);
    }
}
