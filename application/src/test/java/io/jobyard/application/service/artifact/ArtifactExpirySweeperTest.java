package io.jobyard.application.service.artifact;

import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.jobyard.application.service.artifact.Zips.File;
import static io.jobyard.application.service.artifact.Zips.zip;
import static org.assertj.core.api.Assertions.assertThat;

class ArtifactExpirySweeperTest {
    private final ArtifactWorld world = new ArtifactWorld();
    private final byte[] archive = zip(File.stored("a.txt", "a"), File.deflated("b.txt", "b"));

    /** An archive of a finished job in its own pipeline of {@code ref} (status {@code pipelineStatus}). */
    private JobArtifact archiveOn(String ref, JobStatus pipelineStatus) {
        Pipeline pipeline = world.pipeline(ref, JobStatus.RUNNING);
        JobArtifact artifact = world.archiveFor(pipeline, "build", archive, JobStatus.SUCCESS);
        world.repos.pipelines().update(pipeline.withStatus(pipelineStatus, world.clock.instant()));
        return artifact;
    }

    private boolean gone(JobArtifact artifact) {
        return world.repos.artifacts().findById(artifact.id()).isEmpty()
                && !world.store.keys().contains(artifact.storageKey())
                && world.index.listEntries(artifact.id(), null, 10).isEmpty();
    }

    private boolean intact(JobArtifact artifact) {
        return world.repos.artifacts().findById(artifact.id()).isPresent()
                && world.store.keys().contains(artifact.storageKey());
    }

    @Test
    void removesExpiredArtifactsRecordIndexAndBytesAndLeavesTheRest() {
        JobArtifact expired = archiveOn("old-branch", JobStatus.FAILED);
        JobArtifact kept = world.upload(world.runningJob("keeper"), ArtifactFileType.ARCHIVE, null, "never", null,
                archive);
        world.clock.advance(Duration.ofDays(10));
        JobArtifact fresh = archiveOn("another-branch", JobStatus.FAILED);
        world.clock.advance(Duration.ofDays(25));

        ArtifactExpirySweeper.SweepResult result = world.sweeper(100).sweepBatch();

        assertThat(result.removed()).isEqualTo(1);
        assertThat(gone(expired)).isTrue();
        assertThat(intact(kept)).isTrue();
        assertThat(intact(fresh)).isTrue();
        assertThat(world.sweeper(100).sweepBatch().removed()).as("idempotent").isZero();
    }

    @Test
    void theLatestSuccessfulPipelinesArtifactsAreLockedNotRemovedAndLeaveTheBatch() {
        JobArtifact locked = archiveOn("main", JobStatus.SUCCESS);
        JobArtifact flagged = world.data.artifact(world.data.job(world.pipeline("x", JobStatus.FAILED), "f",
                JobStatus.SUCCESS), ArtifactFileType.JUNIT, ArtifactWorld.NOW.minusSeconds(1), true);
        world.clock.advance(Duration.ofDays(31));

        ArtifactExpirySweeper.SweepResult first = world.sweeper(100).sweepBatch();

        assertThat(first.removed()).isZero();
        assertThat(first.locked()).isEqualTo(1);
        assertThat(intact(locked)).isTrue();
        assertThat(world.repos.artifacts().findById(flagged.id())).isPresent();
        assertThat(world.repos.artifacts().findById(locked.id()).orElseThrow().locked()).isTrue();
        assertThat(world.sweeper(100).sweepBatch().examined()).as("recorded locks keep them out of batches").isZero();
    }

    @Test
    void aNewerSuccessfulPipelineUnlocksTheOlderOnesArtifactsForTheSweeper() {
        JobArtifact older = archiveOn("main", JobStatus.SUCCESS);
        world.clock.advance(Duration.ofDays(31));
        world.sweeper(100).sweepBatch();
        assertThat(world.repos.artifacts().findById(older.id()).orElseThrow().locked()).isTrue();

        JobArtifact newer = archiveOn("main", JobStatus.SUCCESS);
        ArtifactExpirySweeper.SweepResult batch = world.sweeper(100).sweepBatch();

        assertThat(batch.unlocked()).isEqualTo(1);
        assertThat(gone(older)).as("released and removed in the same batch").isTrue();
        assertThat(intact(newer)).isTrue();
    }

    @Test
    void aLockOnAPipelineWithNoNewerSuccessStaysEvenWhenThePipelineFailed() {
        JobArtifact flagged = world.data.artifact(world.data.job(world.pipeline("release", JobStatus.FAILED), "f",
                JobStatus.SUCCESS), ArtifactFileType.JUNIT, ArtifactWorld.NOW.minusSeconds(1), true);
        world.clock.advance(Duration.ofDays(31));

        assertThat(world.sweeper(100).sweep(10)).isZero();
        assertThat(world.repos.artifacts().findById(flagged.id()).orElseThrow().locked()).isTrue();

        archiveOn("release", JobStatus.SUCCESS);
        world.sweeper(100).sweep(10);
        assertThat(world.repos.artifacts().findById(flagged.id())).as("a newer success releases it").isEmpty();
    }

    @Test
    void worksInBoundedBatches() {
        List<JobArtifact> expired = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expired.add(archiveOn("b" + i, JobStatus.FAILED));
        }
        world.clock.advance(Duration.ofDays(31));
        ArtifactExpirySweeper sweeper = world.sweeper(2);

        ArtifactExpirySweeper.SweepResult batch = sweeper.sweepBatch();
        assertThat(batch.examined()).isEqualTo(2);
        assertThat(batch.removed()).isEqualTo(2);

        assertThat(sweeper.sweep(10)).isEqualTo(3);
        assertThat(expired).allMatch(this::gone);
    }

    @Test
    void aKeepBetweenListingAndRemovalWins() {
        JobArtifact artifact = archiveOn("b", JobStatus.FAILED);
        world.clock.advance(Duration.ofDays(31));
        ArtifactRemover remover = new ArtifactRemover(world.repos.artifacts(), world.index, world.store,
                world.repos.transactor());
        world.repos.artifacts().update(artifact.withoutExpiry());

        boolean removed = remover.removeIf(artifact, current -> current.expired(world.clock.instant()));

        assertThat(removed).isFalse();
        assertThat(intact(artifact)).isTrue();
    }

    @Test
    void concurrentSweepersRemoveEachExpiredArtifactExactlyOnce() throws Exception {
        List<JobArtifact> expired = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            expired.add(archiveOn("branch-" + i, JobStatus.FAILED));
        }
        JobArtifact locked = archiveOn("main", JobStatus.SUCCESS);
        world.clock.advance(Duration.ofDays(31));
        JobArtifact fresh = archiveOn("fresh", JobStatus.FAILED);
        int sweepers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(sweepers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> removed = new ArrayList<>();
        try {
            for (int i = 0; i < sweepers; i++) {
                ArtifactExpirySweeper sweeper = world.sweeper(7);
                removed.add(pool.submit(() -> {
                    go.await();
                    return sweeper.sweep(100);
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> count : removed) {
                total += count.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).as("each removal counted by exactly one sweeper").isEqualTo(60);
        } finally {
            pool.shutdownNow();
        }
        assertThat(expired).allMatch(this::gone);
        assertThat(intact(locked)).isTrue();
        assertThat(intact(fresh)).isTrue();
        assertThat(world.store.keys()).hasSize(2);
    }
}
