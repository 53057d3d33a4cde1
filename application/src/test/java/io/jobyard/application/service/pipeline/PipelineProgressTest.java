package io.jobyard.application.service.pipeline;

import io.jobyard.application.service.ServiceFixture;
import io.jobyard.application.service.TestDataJobs;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.RetryPolicy;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.jobyard.application.service.ServiceFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineProgressTest {
    private final ServiceFixture f = new ServiceFixture();
    private final Pipeline pipeline = f.data.pipeline(f.project, "main", JobStatus.RUNNING);

    /** What the runner side does when a job fails: store the drop, then advance the pipeline in one transaction. */
    private Pipeline fail(Job job, FailureReason reason) {
        return f.optimisticRetry.run(() -> {
            Job fresh = f.reload(job);
            f.repos.jobs().update(fresh.drop(reason, 1, f.clock.instant()));
            return f.progress.advance(fresh.pipelineId());
        });
    }

    private Job running(JobSpec spec) {
        return f.job(pipeline, spec, JobStatus.RUNNING, f.developer);
    }

    private Job latest(String name) {
        return f.repos.jobs().findLatestByName(pipeline.id(), name).orElseThrow();
    }

    @Test
    void aFailedJobIsRetriedAutomaticallyWhileItsPolicyAllows() {
        Job build = running(JobSpec.simple("build", "build", 0).withRetry(new RetryPolicy(1, Set.of())));
        Job test = f.job(pipeline, JobSpec.simple("test", "test", 1), JobStatus.CREATED, f.developer);

        Pipeline afterFirst = fail(build, FailureReason.SCRIPT_FAILURE);

        Job retry = latest("build");
        assertThat(retry.id()).isNotEqualTo(build.id());
        assertThat(retry.status()).isEqualTo(JobStatus.PENDING);
        assertThat(retry.autoRetries()).isEqualTo(1);
        assertThat(retry.retriedFrom()).isEqualTo(build.id());
        assertThat(retry.userId()).isEqualTo(f.developer.id());
        assertThat(f.reload(build).retried()).isTrue();
        assertThat(f.reload(test).status()).isEqualTo(JobStatus.CREATED);
        assertThat(afterFirst.status()).isEqualTo(JobStatus.PENDING);

        Job runningRetry = f.repos.jobs().update(f.reload(retry).run(f.data.runner("r", false).id(), "d".repeat(64),
                NOW));
        Pipeline afterSecond = fail(runningRetry, FailureReason.SCRIPT_FAILURE);

        assertThat(latest("build").id()).isEqualTo(retry.id());
        assertThat(latest("build").status()).isEqualTo(JobStatus.FAILED);
        assertThat(f.reload(test).status()).isEqualTo(JobStatus.SKIPPED);
        assertThat(afterSecond.status()).isEqualTo(JobStatus.FAILED);
        assertThat(afterSecond.finishedAt()).isEqualTo(NOW);
    }

    @Test
    void onlyTheListedFailureReasonsAreRetried() {
        RetryPolicy onSystemFailure = new RetryPolicy(2, Set.of("runner_system_failure"));
        Job flaky = running(JobSpec.simple("flaky", "build", 0).withRetry(onSystemFailure));
        Job broken = running(JobSpec.simple("broken", "build", 0).withRetry(onSystemFailure));

        fail(flaky, FailureReason.RUNNER_SYSTEM_FAILURE);
        fail(broken, FailureReason.SCRIPT_FAILURE);

        assertThat(latest("flaky").status()).isEqualTo(JobStatus.PENDING);
        assertThat(latest("broken").id()).isEqualTo(broken.id());
        assertThat(latest("broken").status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void jobsWithoutARetryPolicyStayFailed() {
        Job build = running(JobSpec.simple("build", "build", 0));
        Pipeline after = fail(build, FailureReason.SCRIPT_FAILURE);
        assertThat(latest("build").id()).isEqualTo(build.id());
        assertThat(after.status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void archivedJobsAreNotRetriedAutomatically() {
        Job old = f.data.insert(TestDataJobs.inStatus(f, pipeline,
                        JobSpec.simple("old", "build", 0).withRetry(new RetryPolicy(2, Set.of())), JobStatus.RUNNING)
                .createdAt(NOW.minus(ServiceFixture.ARCHIVE_AFTER).minusSeconds(1)));
        fail(old, FailureReason.SCRIPT_FAILURE);
        assertThat(latest("old").id()).isEqualTo(old.id());
    }

    @Test
    void aSuccessStartsTheNextStageAndFinishesThePipeline() {
        Job build = running(JobSpec.simple("build", "build", 0));
        Job test = f.job(pipeline, JobSpec.simple("test", "test", 1), JobStatus.CREATED, f.developer);

        f.optimisticRetry.run(() -> {
            f.repos.jobs().update(f.reload(build).succeed(NOW));
            return f.progress.advance(pipeline.id());
        });
        assertThat(f.reload(test).status()).isEqualTo(JobStatus.PENDING);
        assertThat(f.reload(pipeline).status()).isEqualTo(JobStatus.RUNNING);

        Pipeline done = f.optimisticRetry.run(() -> {
            Job pending = f.reload(test);
            Job ran = f.repos.jobs().update(pending.run(f.data.runner("r", false).id(), "e".repeat(64), NOW));
            f.repos.jobs().update(ran.succeed(NOW));
            return f.progress.advance(pipeline.id());
        });
        assertThat(done.status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(done.finishedAt()).isEqualTo(NOW);
        assertThat(done.lockVersion()).isGreaterThan(pipeline.lockVersion());
    }

    /**
     * The caller judged the job retryable on its read; should the pass's own read of the pipeline (a later statement,
     * which under READ COMMITTED sees what committed meanwhile) find a newer version — another retry of it, say — the
     * judgement is stale: a lost race, to run again from fresh reads, and never a second successor.
     */
    @Test
    void retryingAJobThatChangedSinceTheCallerReadItIsALostRace() {
        Job build = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.FAILED, f.developer);
        Job judged = f.reload(build);
        f.optimisticRetry.run(() -> f.progress.retry(f.reload(build), f.maintainer.id(), null));
        long jobsBefore = f.repos.jobs().findByPipeline(pipeline.id()).size();

        assertThatThrownBy(() -> f.repos.transactor().inTransaction(
                () -> f.progress.retry(judged, f.developer.id(), null)))
                .isInstanceOf(StaleObjectException.class);

        assertThat(f.repos.jobs().findByPipeline(pipeline.id())).hasSize((int) jobsBefore)
                .filteredOn(job -> build.id().equals(job.retriedFrom())).hasSize(1);
    }

    @Test
    void advancingAnUnchangedPipelineWritesNothing() {
        f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.RUNNING, f.developer);
        Pipeline first = f.optimisticRetry.run(() -> f.progress.advance(pipeline.id()));
        Pipeline second = f.optimisticRetry.run(() -> f.progress.advance(pipeline.id()));
        assertThat(second).isEqualTo(first);
        assertThat(f.repos.jobs().findByPipeline(pipeline.id())).extracting(Job::lockVersion).containsOnly(0L);
        assertThat(List.of(first.status())).containsExactly(JobStatus.RUNNING);
    }
}
