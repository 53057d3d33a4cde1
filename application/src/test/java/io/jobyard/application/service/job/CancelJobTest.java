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
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.Test;

import static io.jobyard.application.service.ServiceFixture.NOW;
import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.jobToken;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;

class CancelJobTest {
    private final ServiceFixture f = new ServiceFixture();
    private final Pipeline pipeline = f.data.pipeline(f.project, "main", JobStatus.PENDING);

    private Job running(Runner runner) {
        return f.data.insert(TestDataJobs.inStatus(f, pipeline, JobSpec.simple("build", "build", 0), JobStatus.RUNNING)
                .runnerId(runner.id()).userId(f.developer.id()));
    }

    @Test
    void cancelingAPendingJobSkipsWhatWaitedForItAndCancelsThePipeline() {
        Job build = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.PENDING, f.developer);
        Job test = f.job(pipeline, JobSpec.simple("test", "test", 1), JobStatus.CREATED, f.developer);

        JobView view = f.actions.cancel(as(f.developer), f.ref, build.id(), false);

        assertThat(view.job().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(view.job().finishedAt()).isEqualTo(NOW);
        assertThat(f.reload(build)).isEqualTo(view.job());
        assertThat(f.reload(test).status()).isEqualTo(JobStatus.SKIPPED);
        assertThat(f.reload(pipeline).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(view.pipeline().status()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void aRunningJobOfAGracefulRunnerGoesToCancelingAndForceFinishesIt() {
        Job job = running(f.data.runner("graceful", true));

        JobView canceling = f.actions.cancel(as(f.developer), f.ref, job.id(), false);
        assertThat(canceling.job().status()).isEqualTo(JobStatus.CANCELING);
        assertThat(canceling.job().finishedAt()).isNull();

        JobView forced = f.actions.cancel(as(f.maintainer), f.ref, job.id(), true);
        assertThat(forced.job().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(f.reload(pipeline).status()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void aRunningJobOfAnotherRunnerIsCanceledAtOnce() {
        Job job = running(f.data.runner("abrupt", false));
        assertThat(f.actions.cancel(as(f.developer), f.ref, job.id(), false).job().status())
                .isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void forceDoesNotWaitForAGracefulRunner() {
        Job job = running(f.data.runner("graceful", true));
        assertThat(f.actions.cancel(as(f.maintainer), f.ref, job.id(), true).job().status())
                .isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void aManualJobCanBeCanceled() {
        Job manual = f.job(pipeline, JobSpec.simple("deploy", "deploy", 2).withWhen(WhenCondition.MANUAL, null),
                JobStatus.MANUAL, f.developer);
        assertThat(f.actions.cancel(as(f.developer), f.ref, manual.id(), false).job().status())
                .isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void aJobThatCannotBeCanceledComesBackUnchanged() {
        for (JobStatus status : new JobStatus[]{JobStatus.SUCCESS, JobStatus.FAILED, JobStatus.SKIPPED,
                JobStatus.CANCELED}) {
            Job job = f.job(pipeline, "done-" + status.wireName(), status);

            JobView view = f.actions.cancel(as(f.developer), f.ref, job.id(), false);

            assertThat(view.job()).isEqualTo(job);
            assertThat(f.reload(job).lockVersion()).isEqualTo(job.lockVersion());
        }
    }

    @Test
    void forceNeedsAMaintainer() {
        Job job = running(f.data.runner("graceful", true));
        Refusals.forbidden(() -> f.actions.cancel(as(f.developer), f.ref, job.id(), true));
        assertThat(f.reload(job).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(f.actions.cancel(as(f.owner), f.ref, job.id(), true).job().status()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void reportersAndGuestsMayNotCancel() {
        Job job = f.job(pipeline, "build", JobStatus.PENDING);
        for (User user : new User[]{f.reporter, f.guest}) {
            Refusals.forbidden(() -> f.actions.cancel(as(user), f.ref, job.id(), false));
        }
        assertThat(f.reload(job).status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void readOnlyCredentialsMayNotCancelAndAnonymousIsUnauthorized() {
        Job job = f.job(pipeline, "build", JobStatus.RUNNING);
        Refusals.forbidden(() -> f.actions.cancel(readOnly(f.maintainer), f.ref, job.id(), false));
        Refusals.forbidden(() -> f.actions.cancel(jobToken(f.maintainer, job), f.ref, job.id(), false));
        Refusals.unauthorized(() -> f.actions.cancel(Actor.ANONYMOUS, f.ref, job.id(), false));
        assertThat(f.reload(job).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void checksGoProjectThenAbilityThenJob() {
        Job foreign = f.data.job(f.data.pipeline(f.project("other", Visibility.PRIVATE, false), "main"), "x",
                JobStatus.PENDING);
        Refusals.projectNotFound(() -> f.actions.cancel(as(f.outsider), f.ref, f.repos.jobs().nextId(), false));
        Refusals.forbidden(() -> f.actions.cancel(as(f.reporter), f.ref, f.repos.jobs().nextId(), false));
        Refusals.recordNotFound(() -> f.actions.cancel(as(f.developer), f.ref, f.repos.jobs().nextId(), false), "Job");
        Refusals.recordNotFound(() -> f.actions.cancel(as(f.developer), f.ref, foreign.id(), false), "Job");
        assertThat(f.reload(foreign).status()).isEqualTo(JobStatus.PENDING);
    }
}
