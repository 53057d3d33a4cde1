package io.jobyard.application.service.job;

import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.application.service.TestDataJobs;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.jobyard.application.service.ServiceFixture.NOW;
import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.jobToken;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeepArtifactsTest {
    private final ServiceFixture f = new ServiceFixture();
    private final Pipeline pipeline = f.data.pipeline(f.project, "main", JobStatus.SUCCESS);
    private final Instant expiry = NOW.plusSeconds(7 * 86_400);

    private Job jobExpiringAt(String name, Instant at) {
        return f.data.insert(TestDataJobs.succeeded(f, pipeline, name).artifactsExpireAt(at));
    }

    @Test
    void keepClearsTheExpiryOfTheJobAndOfEveryArtifact() {
        Job job = jobExpiringAt("build", expiry);
        JobArtifact archive = f.data.artifact(job, ArtifactFileType.ARCHIVE, expiry, false);
        JobArtifact trace = f.data.artifact(job, ArtifactFileType.TRACE, expiry, false);
        JobArtifact neverExpiring = f.data.artifact(job, ArtifactFileType.METADATA, null, false);

        JobView view = f.actions.keepArtifacts(as(f.developer), f.ref, job.id());

        assertThat(view.job().artifactsExpireAt()).isNull();
        assertThat(f.reload(job).artifactsExpireAt()).isNull();
        assertThat(f.repos.artifacts().findByJob(job.id()))
                .containsExactly(archive.withoutExpiry(), trace.withoutExpiry(), neverExpiring);
        assertThat(view.artifacts().all()).allSatisfy(a -> assertThat(a.expireAt()).isNull());
    }

    @Test
    void withoutALiveArchiveThereIsNothingToKeep() {
        Job onlyLog = jobExpiringAt("log only", expiry);
        f.data.artifact(onlyLog, ArtifactFileType.TRACE, expiry, false);
        Job expired = jobExpiringAt("expired", NOW.minusSeconds(1));
        f.data.artifact(expired, ArtifactFileType.ARCHIVE, NOW.minusSeconds(1), false);

        for (Job job : new Job[]{onlyLog, expired}) {
            assertThatThrownBy(() -> f.actions.keepArtifacts(as(f.developer), f.ref, job.id()))
                    .isInstanceOf(NotFoundException.class);
            assertThat(f.reload(job)).isEqualTo(job);
        }
    }

    @Test
    void archivedJobsCannotBeKept() {
        Job old = f.data.insert(TestDataJobs.succeeded(f, pipeline, "old").artifactsExpireAt(expiry)
                .createdAt(NOW.minus(ServiceFixture.ARCHIVE_AFTER).minusSeconds(1)));
        f.data.artifact(old, ArtifactFileType.ARCHIVE, expiry, false);
        Refusals.forbidden(() -> f.actions.keepArtifacts(as(f.maintainer), f.ref, old.id()));
    }

    @Test
    void keepNeedsADeveloperWithWriteCredentials() {
        Job job = jobExpiringAt("build", expiry);
        f.data.artifact(job, ArtifactFileType.ARCHIVE, expiry, false);
        Refusals.forbidden(() -> f.actions.keepArtifacts(as(f.reporter), f.ref, job.id()));
        Refusals.forbidden(() -> f.actions.keepArtifacts(readOnly(f.developer), f.ref, job.id()));
        Refusals.forbidden(() -> f.actions.keepArtifacts(jobToken(f.developer, job), f.ref, job.id()));
        Refusals.unauthorized(() -> f.actions.keepArtifacts(Actor.ANONYMOUS, f.ref, job.id()));
        Refusals.projectNotFound(() -> f.actions.keepArtifacts(as(f.outsider), f.ref, job.id()));
        Refusals.forbidden(() -> f.actions.keepArtifacts(as(f.reporter), f.ref, f.repos.jobs().nextId()));
        Refusals.recordNotFound(() -> f.actions.keepArtifacts(as(f.developer), f.ref, f.repos.jobs().nextId()),
                "Job");
        assertThat(f.reload(job).artifactsExpireAt()).isEqualTo(expiry);
    }
}
