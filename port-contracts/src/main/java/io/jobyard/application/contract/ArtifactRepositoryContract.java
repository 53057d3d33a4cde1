package io.jobyard.application.contract;

import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every {@link ArtifactRepository} has. Extend it and supply the store. */
public abstract class ArtifactRepositoryContract extends RepositoryContract {

    private ArtifactRepository artifacts;
    private Project project;
    private Pipeline pipeline;
    private Job job;

    @BeforeEach
    public void createJob() {
        artifacts = repos.artifacts();
        project = data.project("artifacts-" + TestData.unique());
        pipeline = data.pipeline(project, "main");
        job = data.job(pipeline, "build", JobStatus.SUCCESS);
    }

    @Test
    public void nextIdGivesIncreasingIds() {
        ArtifactId first = artifacts.nextId();
        assertThat(artifacts.nextId()).isGreaterThan(first);
    }

    @Test
    public void insertedArtifactReadsBackWithEveryField() {
        JobArtifact artifact = new JobArtifact(artifacts.nextId(), job.id(), project.id(), ArtifactFileType.JUNIT,
                ArtifactFileType.JUNIT.requiredFormat(), "junit ü.xml.gz", 123_456_789_012L,
                TestData.digest("junit"), T0.plusMillis(86_400_123), true, ArtifactAccessibility.MAINTAINER,
                "projects/1/junit", T0.plusMillis(7));

        assertThat(artifacts.insert(artifact)).isEqualTo(artifact);
        assertThat(artifacts.findById(artifact.id())).contains(artifact);
        assertThat(artifacts.findById(artifacts.nextId())).isEmpty();
    }

    @Test
    public void artifactWithoutExpiryOrDigestReadsBack() {
        JobArtifact artifact = new JobArtifact(artifacts.nextId(), job.id(), project.id(), ArtifactFileType.TRACE,
                ArtifactFileType.TRACE.requiredFormat(), "job.log", 0, null, null, false,
                ArtifactAccessibility.PUBLIC, "trace-key", T0);
        artifacts.insert(artifact);
        assertThat(artifacts.findById(artifact.id())).contains(artifact);
    }

    @Test
    public void aSecondArtifactOfOneTypeForOneJobIsAConflict() {
        data.artifact(job, ArtifactFileType.ARCHIVE);
        JobArtifact second = data.artifactRecord(job, ArtifactFileType.ARCHIVE, null, false);

        assertThatThrownBy(() -> artifacts.insert(second)).isInstanceOf(ConflictException.class);
        assertThat(artifacts.findById(second.id())).isEmpty();
    }

    @Test
    public void theSameTypeForAnotherJobIsFine() {
        data.artifact(job, ArtifactFileType.ARCHIVE);
        Job other = data.job(pipeline, "test", JobStatus.SUCCESS);
        JobArtifact archive = data.artifactRecord(other, ArtifactFileType.ARCHIVE, null, false);
        assertThat(artifacts.insert(archive)).isEqualTo(archive);
    }

    @Test
    public void insertingAnExistingIdIsAConflict() {
        JobArtifact stored = data.artifact(job, ArtifactFileType.ARCHIVE);
        JobArtifact sameId = new JobArtifact(stored.id(), job.id(), project.id(), ArtifactFileType.METADATA,
                ArtifactFileType.METADATA.requiredFormat(), "metadata.gz", 1, null, null, false,
                ArtifactAccessibility.PUBLIC, "k", T0);
        assertThatThrownBy(() -> artifacts.insert(sameId)).isInstanceOf(ConflictException.class);
    }

    @Test
    public void updateStoresTheNewValues() {
        JobArtifact stored = data.artifact(job, ArtifactFileType.ARCHIVE, T0.plusSeconds(60), false);
        JobArtifact kept = stored.withoutExpiry();

        assertThat(artifacts.update(kept)).isEqualTo(kept);
        assertThat(artifacts.findById(stored.id())).contains(kept);
    }

    @Test
    public void deleteSaysWhetherTheArtifactExisted() {
        JobArtifact stored = data.artifact(job, ArtifactFileType.ARCHIVE);

        assertThat(artifacts.delete(stored.id())).isTrue();
        assertThat(artifacts.findById(stored.id())).isEmpty();
        assertThat(artifacts.findByJob(job.id())).isEmpty();
        assertThat(artifacts.delete(stored.id())).isFalse();
    }

    @Test
    public void aDeletedTypeCanBeUploadedAgain() {
        JobArtifact stored = data.artifact(job, ArtifactFileType.ARCHIVE);
        artifacts.delete(stored.id());
        JobArtifact again = data.artifactRecord(job, ArtifactFileType.ARCHIVE, null, false);
        assertThat(artifacts.insert(again)).isEqualTo(again);
    }

    // ------------------------------------------------------------------------------------------------- lookups

    @Test
    public void findByJobListsAJobsArtifactsByAscendingId() {
        JobArtifact trace = data.artifact(job, ArtifactFileType.TRACE);
        JobArtifact archive = data.artifact(job, ArtifactFileType.ARCHIVE);
        data.artifact(data.job(pipeline, "other", JobStatus.SUCCESS), ArtifactFileType.ARCHIVE);
        JobArtifact metadata = data.artifact(job, ArtifactFileType.METADATA);

        assertThat(artifacts.findByJob(job.id())).containsExactly(trace, archive, metadata);
        assertThat(artifacts.findByJob(data.job(pipeline, "none", JobStatus.SUCCESS).id())).isEmpty();
    }

    @Test
    public void findByJobAndTypeFindsTheOneArtifactOfThatType() {
        JobArtifact archive = data.artifact(job, ArtifactFileType.ARCHIVE);
        data.artifact(job, ArtifactFileType.TRACE);

        assertThat(artifacts.findByJobAndType(job.id(), ArtifactFileType.ARCHIVE)).contains(archive);
        assertThat(artifacts.findByJobAndType(job.id(), ArtifactFileType.JUNIT)).isEmpty();
    }

    @Test
    public void findByJobsGroupsArtifactsOfAPageOfJobsAndLeavesOutJobsWithout() {
        Job second = data.job(pipeline, "second", JobStatus.SUCCESS);
        Job without = data.job(pipeline, "without", JobStatus.SUCCESS);
        Job notAsked = data.job(pipeline, "not asked", JobStatus.SUCCESS);
        JobArtifact archive = data.artifact(job, ArtifactFileType.ARCHIVE);
        JobArtifact secondTrace = data.artifact(second, ArtifactFileType.TRACE);
        JobArtifact trace = data.artifact(job, ArtifactFileType.TRACE);
        data.artifact(notAsked, ArtifactFileType.ARCHIVE);

        assertThat(artifacts.findByJobs(List.of(job.id(), second.id(), without.id())))
                .containsOnlyKeys(job.id(), second.id())
                .containsEntry(job.id(), List.of(archive, trace))
                .containsEntry(second.id(), List.of(secondTrace));
        assertThat(artifacts.findByJobs(List.of())).isEmpty();
    }

    // ----------------------------------------------------------------------------------------------- sweeping

    @Test
    public void findExpiredReturnsUnlockedArtifactsPastTheirExpiryOldestFirst() {
        Instant now = T0.plus(java.time.Duration.ofDays(30));
        Job other = data.job(pipeline, "other", JobStatus.SUCCESS);
        JobArtifact expiredLater = data.artifact(job, ArtifactFileType.ARCHIVE, now.minusSeconds(5), false);
        JobArtifact expiredFirst = data.artifact(other, ArtifactFileType.ARCHIVE, now.minusSeconds(500), false);
        data.artifact(job, ArtifactFileType.METADATA, now.minusSeconds(1000), true);
        data.artifact(job, ArtifactFileType.TRACE, null, false);
        data.artifact(other, ArtifactFileType.TRACE, now.plusSeconds(1), false);
        data.artifact(other, ArtifactFileType.JUNIT, now, false);

        assertThat(artifacts.findExpired(now, 10)).containsExactly(expiredFirst, expiredLater);
        assertThat(artifacts.findExpired(now, 1)).containsExactly(expiredFirst);
        assertThat(artifacts.findExpired(T0, 10)).isEmpty();
    }

    @Test
    public void findExpiredLockedWalksLockedArtifactsPastTheirExpiryInIdBatches() {
        Instant now = T0.plus(java.time.Duration.ofDays(30));
        Job other = data.job(pipeline, "other", JobStatus.SUCCESS);
        JobArtifact first = data.artifact(job, ArtifactFileType.ARCHIVE, now.minusSeconds(5), true);
        data.artifact(job, ArtifactFileType.METADATA, now.minusSeconds(1000), false);
        JobArtifact second = data.artifact(other, ArtifactFileType.ARCHIVE, now.minusSeconds(500), true);
        data.artifact(other, ArtifactFileType.TRACE, now.plusSeconds(1), true);
        data.artifact(job, ArtifactFileType.JUNIT, null, true);

        assertThat(artifacts.findExpiredLocked(now, null, 10)).containsExactly(first, second);
        assertThat(artifacts.findExpiredLocked(now, null, 1)).containsExactly(first);
        assertThat(artifacts.findExpiredLocked(now, first.id(), 10)).containsExactly(second);
        assertThat(artifacts.findExpiredLocked(now, second.id(), 10)).isEmpty();
        assertThat(artifacts.findExpiredLocked(T0, null, 10)).isEmpty();
    }

    @Test
    public void findByProjectWalksAProjectsArtifactsInIdBatches() {
        Job other = data.job(pipeline, "other", JobStatus.SUCCESS);
        JobArtifact a = data.artifact(job, ArtifactFileType.ARCHIVE);
        JobArtifact b = data.artifact(other, ArtifactFileType.ARCHIVE);
        Project elsewhere = data.project("elsewhere-" + TestData.unique());
        data.artifact(data.job(data.pipeline(elsewhere, "main"), "x", JobStatus.SUCCESS), ArtifactFileType.ARCHIVE);
        JobArtifact c = data.artifact(job, ArtifactFileType.TRACE);

        assertThat(artifacts.findByProject(project.id(), null, 2)).containsExactly(a, b);
        assertThat(artifacts.findByProject(project.id(), b.id(), 2)).containsExactly(c);
        assertThat(artifacts.findByProject(project.id(), c.id(), 2)).isEmpty();
    }

    @Test
    public void findReferencedStorageKeysAnswersWhichOfABatchOfKeysARecordNames() {
        JobArtifact archive = data.artifact(job, ArtifactFileType.ARCHIVE);
        JobArtifact trace = data.artifact(job, ArtifactFileType.TRACE);
        JobArtifact removed = data.artifact(data.job(pipeline, "gone", JobStatus.SUCCESS), ArtifactFileType.ARCHIVE);
        artifacts.delete(removed.id());
        String orphan = "projects/" + project.id().value() + "/orphan-" + TestData.unique();

        assertThat(artifacts.findReferencedStorageKeys(List.of(archive.storageKey(), orphan, trace.storageKey(),
                removed.storageKey()))).containsExactlyInAnyOrder(archive.storageKey(), trace.storageKey());
        assertThat(artifacts.findReferencedStorageKeys(List.of(orphan))).isEmpty();
        assertThat(artifacts.findReferencedStorageKeys(List.of())).isEmpty();
    }

    @Test
    public void findReferencedStorageKeysMatchesWholeKeysExactly() {
        JobArtifact archive = data.artifact(job, ArtifactFileType.ARCHIVE);
        String key = archive.storageKey();

        assertThat(artifacts.findReferencedStorageKeys(List.of(key.substring(0, key.length() - 1), key + "x",
                key.toUpperCase(Locale.ROOT), key + "%", key, key))).containsExactly(key);
    }

    @Test
    public void findReferencedStorageKeysTakesABatchOfHundredsOfKeys() {
        JobArtifact archive = data.artifact(job, ArtifactFileType.ARCHIVE);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 999; i++) {
            keys.add("projects/none/" + i + "-" + TestData.unique());
        }
        keys.add(500, archive.storageKey());

        assertThat(artifacts.findReferencedStorageKeys(keys)).containsExactly(archive.storageKey());
    }
}
