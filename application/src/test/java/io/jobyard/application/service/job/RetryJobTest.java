package io.jobyard.application.service.job;

import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.application.service.TestDataJobs;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jobyard.application.service.ServiceFixture.NOW;
import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.jobToken;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;

class RetryJobTest {
    private static final String NOT_RETRYABLE = "Job is not retryable";

    private final ServiceFixture f = new ServiceFixture();
    private final Pipeline pipeline = f.data.pipeline(f.project, "main", JobStatus.FAILED);

    private Job job(String name, int stage, JobStatus status) {
        return f.job(pipeline, JobSpec.simple(name, List.of("build", "test", "deploy").get(stage), stage), status,
                f.developer);
    }

    @Test
    void retryClonesTheJobForTheCallerAndReopensTheSkippedJobsAfterIt() {
        Job build = job("build", 0, JobStatus.FAILED);
        Job test = job("test", 1, JobStatus.SKIPPED);
        Job deploy = job("deploy", 2, JobStatus.SKIPPED);

        JobView view = f.actions.retry(as(f.maintainer), f.ref, build.id());

        Job clone = view.job();
        assertThat(clone.id()).isNotEqualTo(build.id());
        assertThat(clone.name()).isEqualTo("build");
        assertThat(clone.spec()).isEqualTo(build.spec());
        assertThat(clone.status()).isEqualTo(JobStatus.PENDING);
        assertThat(clone.queuedAt()).isEqualTo(NOW);
        assertThat(clone.userId()).isEqualTo(f.maintainer.id());
        assertThat(clone.retriedFrom()).isEqualTo(build.id());
        assertThat(clone.retried()).isFalse();
        assertThat(f.reload(clone)).isEqualTo(clone);

        Job old = f.reload(build);
        assertThat(old.retried()).isTrue();
        assertThat(old.status()).isEqualTo(JobStatus.FAILED);

        assertThat(f.reload(test).status()).isEqualTo(JobStatus.CREATED);
        assertThat(f.reload(test).userId()).isEqualTo(f.maintainer.id());
        assertThat(f.reload(deploy).status()).isEqualTo(JobStatus.CREATED);
        Pipeline after = f.reload(pipeline);
        assertThat(after.status()).isEqualTo(JobStatus.PENDING);
        assertThat(after.finishedAt()).isNull();
        assertThat(view.pipeline()).isEqualTo(after);
    }

    @Test
    void theRetriedJobLeavesThePipelinesLatestJobs() {
        Job build = job("build", 0, JobStatus.FAILED);
        Job clone = f.actions.retry(as(f.developer), f.ref, build.id()).job();

        assertThat(f.repos.jobs().findLatestByName(pipeline.id(), "build")).contains(f.reload(clone));
        assertThat(f.repos.jobs().countForPipeline(pipeline.id(), java.util.Set.of(), false)).isEqualTo(1);
    }

    @Test
    void needsDependentsAreReopenedButUnrelatedSkippedJobsStaySkipped() {
        Job build = job("build", 0, JobStatus.FAILED);
        Job unrelated = job("docs", 0, JobStatus.SKIPPED);
        Job dependent = f.job(pipeline, JobSpec.simple("package", "build", 0).withNeeds(List.of("build")),
                JobStatus.SKIPPED, f.developer);

        f.actions.retry(as(f.developer), f.ref, build.id());

        assertThat(f.reload(dependent).status()).isEqualTo(JobStatus.CREATED);
        assertThat(f.reload(unrelated).status()).isEqualTo(JobStatus.SKIPPED);
    }

    @Test
    void aRetriedManualJobIsEnqueuedAtOnce() {
        job("build", 0, JobStatus.SUCCESS);
        Job deploy = f.job(pipeline, JobSpec.simple("deploy", "deploy", 2).withWhen(WhenCondition.MANUAL, null),
                JobStatus.SUCCESS, f.developer);

        Job clone = f.actions.retry(as(f.developer), f.ref, deploy.id()).job();

        assertThat(clone.status()).isEqualTo(JobStatus.PENDING);
        assertThat(clone.spec().when()).isEqualTo(WhenCondition.MANUAL);
    }

    @Test
    void successfulAndCanceledJobsAreRetryableToo() {
        for (JobStatus status : new JobStatus[]{JobStatus.SUCCESS, JobStatus.CANCELED}) {
            Job job = job("job-" + status.wireName(), 0, status);
            assertThat(f.actions.retry(as(f.developer), f.ref, job.id()).job().status()).isEqualTo(JobStatus.PENDING);
        }
    }

    @Test
    void jobsThatAreNotCompleteOrWereRetriedAreNotRetryable() {
        for (JobStatus status : new JobStatus[]{JobStatus.CREATED, JobStatus.PENDING, JobStatus.RUNNING,
                JobStatus.SKIPPED, JobStatus.MANUAL, JobStatus.SCHEDULED}) {
            Job job = job("job-" + status.wireName(), 0, status);
            Refusals.forbidden(() -> f.actions.retry(as(f.developer), f.ref, job.id()), NOT_RETRYABLE);
        }
        Job failed = job("failed", 0, JobStatus.FAILED);
        f.actions.retry(as(f.developer), f.ref, failed.id());
        Refusals.forbidden(() -> f.actions.retry(as(f.developer), f.ref, failed.id()), NOT_RETRYABLE);
        assertThat(f.repos.jobs().findByPipeline(pipeline.id()).stream().filter(j -> j.name().equals("failed")))
                .hasSize(2);
    }

    @Test
    void archivedJobsMayNotBeRetriedAtAll() {
        Job old = f.data.insert(TestDataJobs.inStatus(f, pipeline, JobSpec.simple("old", "build", 0),
                JobStatus.FAILED).createdAt(NOW.minus(ServiceFixture.ARCHIVE_AFTER).minusSeconds(1)));
        Job purged = f.data.insert(TestDataJobs.inStatus(f, pipeline, JobSpec.simple("purged", "build", 0),
                JobStatus.FAILED).degenerated(true));

        Refusals.forbidden(() -> f.actions.retry(as(f.maintainer), f.ref, old.id()));
        Refusals.forbidden(() -> f.actions.retry(as(f.admin), f.ref, purged.id()));
        assertThat(f.reload(old).retried()).isFalse();
    }

    @Test
    void retryNeedsADeveloperWithWriteCredentials() {
        Job job = job("build", 0, JobStatus.FAILED);
        Refusals.forbidden(() -> f.actions.retry(as(f.reporter), f.ref, job.id()));
        Refusals.forbidden(() -> f.actions.retry(as(f.guest), f.ref, job.id()));
        Refusals.forbidden(() -> f.actions.retry(readOnly(f.developer), f.ref, job.id()));
        Refusals.forbidden(() -> f.actions.retry(jobToken(f.developer, job), f.ref, job.id()));
        Refusals.unauthorized(() -> f.actions.retry(Actor.ANONYMOUS, f.ref, job.id()));
        Refusals.projectNotFound(() -> f.actions.retry(as(f.outsider), f.ref, job.id()));
        assertThat(f.reload(job).retried()).isFalse();
    }

    @Test
    void theAbilityIsCheckedBeforeTheJobAndTheJobBeforeItsState() {
        Refusals.forbidden(() -> f.actions.retry(as(f.reporter), f.ref, f.repos.jobs().nextId()));
        Refusals.recordNotFound(() -> f.actions.retry(as(f.developer), f.ref, f.repos.jobs().nextId()), "Job");
    }
}
