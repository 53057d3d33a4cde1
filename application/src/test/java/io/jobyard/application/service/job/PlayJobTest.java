package io.jobyard.application.service.job;

import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.application.service.TestDataJobs;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.jobyard.application.service.ServiceFixture.NOW;
import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.jobToken;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;

class PlayJobTest {
    private static final String UNPLAYABLE = "Unplayable Job";
    private static final JobSpec MANUAL_DEPLOY = JobSpec.simple("deploy", "test", 1)
            .withWhen(WhenCondition.MANUAL, null)
            .withVariables(List.of(JobVariable.of("TARGET", "staging")));

    private final ServiceFixture f = new ServiceFixture();
    private final Pipeline pipeline = f.data.pipeline(f.project, "main", JobStatus.MANUAL);

    @Test
    void playingABlockingManualJobEnqueuesItForTheCallerWithTheGivenVariables() {
        f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.SUCCESS, f.developer);
        Job deploy = f.job(pipeline, MANUAL_DEPLOY, JobStatus.MANUAL, f.developer);
        Job notify = f.job(pipeline, JobSpec.simple("notify", "deploy", 2), JobStatus.CREATED, f.developer);
        List<JobVariable> given = List.of(JobVariable.of("TARGET", "production"), JobVariable.of("DRY_RUN", "no"));

        JobView view = f.actions.play(as(f.maintainer), f.ref, deploy.id(), given);

        assertThat(view.job().id()).isEqualTo(deploy.id());
        assertThat(view.job().status()).isEqualTo(JobStatus.PENDING);
        assertThat(view.job().queuedAt()).isEqualTo(NOW);
        assertThat(view.job().userId()).isEqualTo(f.maintainer.id());
        assertThat(view.user()).isEqualTo(f.maintainer);
        assertThat(view.job().spec().variables()).isEqualTo(given);
        assertThat(f.reload(deploy)).isEqualTo(view.job());
        assertThat(f.reload(notify).status()).isEqualTo(JobStatus.CREATED);
        assertThat(f.reload(pipeline).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void withoutVariablesTheJobKeepsItsOwn() {
        Job deploy = f.job(pipeline, MANUAL_DEPLOY, JobStatus.MANUAL, f.developer);
        assertThat(f.actions.play(as(f.developer), f.ref, deploy.id(), null).job().spec().variables())
                .isEqualTo(MANUAL_DEPLOY.variables());
    }

    @Test
    void playingAScheduledJobRunsItNow() {
        JobSpec delayed = JobSpec.simple("later", "test", 1).withWhen(WhenCondition.DELAYED, Duration.ofHours(1));
        Job scheduled = f.data.insert(TestDataJobs.inStatus(f, pipeline, delayed, JobStatus.SCHEDULED)
                .scheduledAt(NOW.plusSeconds(3600)));

        Job played = f.actions.play(as(f.developer), f.ref, scheduled.id(), null).job();

        assertThat(played.status()).isEqualTo(JobStatus.PENDING);
        assertThat(played.scheduledAt()).isNull();
    }

    @Test
    void playingReopensTheSkippedJobsThatNeedIt() {
        JobSpec optional = JobSpec.simple("review", "build", 0).withWhen(WhenCondition.MANUAL, null)
                .withAllowFailure(true);
        Job review = f.job(pipeline, optional, JobStatus.MANUAL, f.developer);
        Job publish = f.job(pipeline, JobSpec.simple("publish", "test", 1).withNeeds(List.of("review")),
                JobStatus.SKIPPED, f.developer);

        f.actions.play(as(f.developer), f.ref, review.id(), null);

        assertThat(f.reload(publish).status()).isEqualTo(JobStatus.CREATED);
        assertThat(f.reload(publish).userId()).isEqualTo(f.developer.id());
    }

    @Test
    void playingAFinishedManualJobRetriesItButAnswersWithTheOriginal() {
        f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.SUCCESS, f.developer);
        Job deploy = f.job(pipeline, MANUAL_DEPLOY, JobStatus.SUCCESS, f.developer);
        List<JobVariable> given = List.of(JobVariable.of("TARGET", "production"));

        JobView view = f.actions.play(as(f.maintainer), f.ref, deploy.id(), given);

        assertThat(view.job().id()).isEqualTo(deploy.id());
        assertThat(view.job().status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(view.job().retried()).isTrue();
        Job clone = f.repos.jobs().findLatestByName(pipeline.id(), "deploy").orElseThrow();
        assertThat(clone.id()).isNotEqualTo(deploy.id());
        assertThat(clone.status()).isEqualTo(JobStatus.PENDING);
        assertThat(clone.userId()).isEqualTo(f.maintainer.id());
        assertThat(clone.spec().variables()).isEqualTo(given);
    }

    @Test
    void jobsThatAreNotWaitingForAPersonAreUnplayable() {
        Job automatic = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.SUCCESS, f.developer);
        Job alreadyPlayed = f.job(pipeline, MANUAL_DEPLOY, JobStatus.PENDING, f.developer);
        Job skippedManual = f.job(pipeline, JobSpec.simple("skipped", "test", 1).withWhen(WhenCondition.MANUAL, null),
                JobStatus.SKIPPED, f.developer);

        for (Job job : List.of(automatic, alreadyPlayed, skippedManual)) {
            Refusals.badRequest(() -> f.actions.play(as(f.developer), f.ref, job.id(), null), UNPLAYABLE);
            assertThat(f.reload(job)).isEqualTo(job);
        }
    }

    @Test
    void anArchivedManualJobMayNotBePlayed() {
        Job old = f.data.insert(TestDataJobs.inStatus(f, pipeline, MANUAL_DEPLOY, JobStatus.MANUAL)
                .createdAt(NOW.minus(ServiceFixture.ARCHIVE_AFTER).minusSeconds(1)));
        Refusals.forbidden(() -> f.actions.play(as(f.maintainer), f.ref, old.id(), null));
        assertThat(f.reload(old).status()).isEqualTo(JobStatus.MANUAL);
    }

    @Test
    void playNeedsADeveloperWithWriteCredentials() {
        Job deploy = f.job(pipeline, MANUAL_DEPLOY, JobStatus.MANUAL, f.developer);
        Refusals.forbidden(() -> f.actions.play(as(f.reporter), f.ref, deploy.id(), null));
        Refusals.forbidden(() -> f.actions.play(as(f.guest), f.ref, deploy.id(), null));
        Refusals.forbidden(() -> f.actions.play(readOnly(f.maintainer), f.ref, deploy.id(), null));
        Refusals.forbidden(() -> f.actions.play(jobToken(f.maintainer, deploy), f.ref, deploy.id(), null));
        Refusals.unauthorized(() -> f.actions.play(Actor.ANONYMOUS, f.ref, deploy.id(), null));
        Refusals.projectNotFound(() -> f.actions.play(as(f.outsider), f.ref, deploy.id(), null));
        assertThat(f.reload(deploy).status()).isEqualTo(JobStatus.MANUAL);
    }

    @Test
    void checksGoReadAbilityThenJobThenPlayAbilityThenState() {
        // A guest cannot read builds: 403 before the job is looked up.
        Refusals.forbidden(() -> f.actions.play(as(f.guest), f.ref, f.repos.jobs().nextId(), null));
        // A reporter can read builds, so the missing job shows.
        Refusals.recordNotFound(() -> f.actions.play(as(f.reporter), f.ref, f.repos.jobs().nextId(), null), "Job");
        // A reporter cannot play: 403 before the state is judged.
        Job automatic = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.SUCCESS, f.developer);
        Refusals.forbidden(() -> f.actions.play(as(f.reporter), f.ref, automatic.id(), null));
    }
}
