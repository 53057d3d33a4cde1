package io.jobyard.application.service.job;

import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.application.service.TestDataJobs;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.jobyard.application.service.ServiceFixture.NOW;
import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.jobToken;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;

class EraseJobTest {
    private static final String NOT_ERASABLE = "Job is not erasable!";

    private final ServiceFixture f = new ServiceFixture();
    private final Pipeline pipeline = f.data.pipeline(f.project, "main", JobStatus.SUCCESS);

    private Job finishedJobOf(User user, String name) {
        return f.data.insert(TestDataJobs.succeeded(f, pipeline, name).userId(user.id())
                .artifactsExpireAt(NOW.plusSeconds(3600)));
    }

    private JobArtifact storedArtifact(Job job, ArtifactFileType type) {
        JobArtifact artifact = f.data.artifact(job, type, NOW.plusSeconds(3600), false);
        f.artifactStore.put(artifact.storageKey(), new byte[]{1, 2, 3});
        return artifact;
    }

    private void liveLog(Job job, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        f.traces.append(job.id(), 0, new ByteArrayInputStream(bytes), 1 << 20);
    }

    @Test
    void eraseRemovesEveryArtifactItsBytesAndTheLogAndRecordsWhoAndWhen() {
        Job job = finishedJobOf(f.developer, "build");
        JobArtifact archive = storedArtifact(job, ArtifactFileType.ARCHIVE);
        JobArtifact metadata = storedArtifact(job, ArtifactFileType.METADATA);
        JobArtifact trace = storedArtifact(job, ArtifactFileType.TRACE);
        liveLog(job, "compiling...\n");
        Job other = finishedJobOf(f.developer, "other");
        JobArtifact othersArchive = storedArtifact(other, ArtifactFileType.ARCHIVE);
        liveLog(other, "kept");

        f.archiveIndex.saveEntries(archive.id(), List.of(new ArchiveEntry("out/app.jar", 30, 0, 3, 3, 0)));
        f.archiveIndex.saveEntries(othersArchive.id(), List.of(new ArchiveEntry("x", 30, 0, 1, 1, 0)));

        JobView view = f.actions.erase(as(f.developer), f.ref, job.id());

        assertThat(view.job().erasedAt()).isEqualTo(NOW);
        assertThat(view.job().erasedBy()).isEqualTo(f.developer.id());
        assertThat(view.job().artifactsExpireAt()).isNull();
        assertThat(view.job().status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(view.artifacts().all()).isEmpty();
        assertThat(f.reload(job)).isEqualTo(view.job());
        assertThat(f.repos.artifacts().findByJob(job.id())).isEmpty();
        assertThat(f.artifactStore.keys()).doesNotContain(archive.storageKey(), metadata.storageKey(),
                trace.storageKey()).contains(othersArchive.storageKey());
        assertThat(f.traces.length(job.id())).isZero();
        assertThat(f.traces.length(other.id())).isPositive();
        assertThat(f.repos.artifacts().findByJob(other.id())).containsExactly(othersArchive);
        assertThat(f.archiveIndex.listEntries(archive.id(), null, 10)).isEmpty();
        assertThat(f.archiveIndex.listEntries(othersArchive.id(), null, 10)).hasSize(1);
    }

    @Test
    void aJobWithOnlyALiveLogIsErasable() {
        Job job = finishedJobOf(f.developer, "build");
        liveLog(job, "output");

        assertThat(f.actions.erase(as(f.developer), f.ref, job.id()).job().erased()).isTrue();
        assertThat(f.traces.length(job.id())).isZero();
    }

    @Test
    void aJobWithNothingLeftOrStillRunningIsNotErasable() {
        Job empty = finishedJobOf(f.developer, "empty");
        Refusals.forbidden(() -> f.actions.erase(as(f.maintainer), f.ref, empty.id()), NOT_ERASABLE);

        Job running = f.job(pipeline, "running", JobStatus.RUNNING);
        storedArtifact(running, ArtifactFileType.TRACE);
        liveLog(running, "still going");
        Refusals.forbidden(() -> f.actions.erase(as(f.maintainer), f.ref, running.id()), NOT_ERASABLE);
        assertThat(f.repos.artifacts().findByJob(running.id())).hasSize(1);
        assertThat(f.traces.length(running.id())).isPositive();

        Job erased = finishedJobOf(f.developer, "erased");
        storedArtifact(erased, ArtifactFileType.ARCHIVE);
        f.actions.erase(as(f.developer), f.ref, erased.id());
        Refusals.forbidden(() -> f.actions.erase(as(f.developer), f.ref, erased.id()), NOT_ERASABLE);
    }

    @Test
    void aDeveloperErasesOnlyTheirOwnJobsAndAMaintainerAnyJob() {
        Job maintainersJob = finishedJobOf(f.maintainer, "theirs");
        storedArtifact(maintainersJob, ArtifactFileType.ARCHIVE);
        Job developersJob = finishedJobOf(f.developer, "mine");
        storedArtifact(developersJob, ArtifactFileType.ARCHIVE);

        Refusals.forbidden(() -> f.actions.erase(as(f.developer), f.ref, maintainersJob.id()));
        assertThat(f.reload(maintainersJob).erased()).isFalse();

        assertThat(f.actions.erase(as(f.maintainer), f.ref, developersJob.id()).job().erasedBy())
                .isEqualTo(f.maintainer.id());
        assertThat(f.actions.erase(as(f.admin), f.ref, maintainersJob.id()).job().erased()).isTrue();
    }

    @Test
    void theAbilityIsJudgedBeforeTheState() {
        Job othersEmptyJob = finishedJobOf(f.maintainer, "nothing to erase");
        Refusals.forbidden(() -> f.actions.erase(as(f.developer), f.ref, othersEmptyJob.id()));
    }

    @Test
    void eraseNeedsADeveloperWithWriteCredentials() {
        Job job = finishedJobOf(f.reporter, "build");
        storedArtifact(job, ArtifactFileType.ARCHIVE);
        Refusals.forbidden(() -> f.actions.erase(as(f.reporter), f.ref, job.id()));
        Refusals.forbidden(() -> f.actions.erase(readOnly(f.maintainer), f.ref, job.id()));
        Refusals.forbidden(() -> f.actions.erase(jobToken(f.maintainer, job), f.ref, job.id()));
        Refusals.unauthorized(() -> f.actions.erase(Actor.ANONYMOUS, f.ref, job.id()));
        Refusals.projectNotFound(() -> f.actions.erase(as(f.outsider), f.ref, job.id()));
        Refusals.recordNotFound(() -> f.actions.erase(as(f.maintainer), f.ref, f.repos.jobs().nextId()), "Job");
        assertThat(f.reload(job).erased()).isFalse();
        assertThat(f.repos.artifacts().findByJob(job.id())).hasSize(1);
    }
}
