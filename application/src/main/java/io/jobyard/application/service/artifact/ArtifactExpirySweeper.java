package io.jobyard.application.service.artifact;

import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.Batches;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Removes expired artifacts that are neither kept (no expiry) nor locked, a bounded batch at a time.
 *
 * <p>Safe on several instances at once: each removal re-reads the artifact inside its transaction and deletes the
 * record — exactly one sweeper's delete succeeds, and only that one then deletes the bytes ({@link ArtifactRemover}).
 * An artifact kept or locked after it was listed is re-checked and left alone. Idempotent: a second run finds
 * nothing. Artifacts of the latest successful pipeline of their ref are locked rather than removed, and the lock is
 * recorded so that they stop coming back in every batch ({@link ArtifactLocks}).
 */
public final class ArtifactExpirySweeper {
    private final ArtifactRepository artifacts;
    private final JobRepository jobs;
    private final Transactor transactor;
    private final Clock clock;
    private final int batchSize;
    private final ArtifactLocks locks;
    private final ArtifactRemover remover;
    private final AtomicReference<ArtifactId> lockWalkCursor = new AtomicReference<>();

    public ArtifactExpirySweeper(ArtifactRepository artifacts, ArchiveIndexRepository index, ArtifactStore store,
                                 JobRepository jobs, PipelineRepository pipelines, Transactor transactor,
                                 Clock clock, int batchSize) {
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.batchSize = Batches.size(batchSize);
        this.locks = new ArtifactLocks(artifacts, jobs, pipelines);
        this.remover = new ArtifactRemover(artifacts, index, store, transactor);
    }

    /** What one batch did. */
    public record SweepResult(int examined, int removed, int locked, int unlocked) {
    }

    /** One bounded batch: superseded locks released first, so what they held is removed in the same batch. */
    public SweepResult sweepBatch() {
        Instant now = clock.instant();
        int unlocked = releaseSupersededLocks(now);
        List<JobArtifact> expired = artifacts.findExpired(now, batchSize);
        Map<JobId, Job> owners = jobs.findByIds(expired.stream().map(JobArtifact::jobId).distinct().toList());
        Map<JobId, Boolean> lockedJobs = new HashMap<>();
        int removed = 0;
        int locked = 0;
        for (JobArtifact artifact : expired) {
            Job owner = owners.get(artifact.jobId());
            if (owner != null && lockedJobs.computeIfAbsent(owner.id(), id -> locks.inLatestSuccessfulPipeline(owner))) {
                recordLock(artifact);
                locked++;
            } else if (remover.removeIf(artifact, current -> !current.locked() && current.expired(now))) {
                removed++;
            }
        }
        return new SweepResult(expired.size(), removed, locked, unlocked);
    }

    /**
     * Batches until nothing expired is left or {@code maxBatches} ran.
     *
     * @return how many artifacts this sweeper removed
     */
    public int sweep(int maxBatches) {
        int removed = 0;
        for (int batch = 0; batch < maxBatches; batch++) {
            SweepResult result = sweepBatch();
            removed += result.removed();
            if (result.examined() < batchSize) {
                break;
            }
        }
        return removed;
    }

    /**
     * One bounded step of a walk over the expired locked artifacts, releasing the locks a newer successful pipeline
     * of the ref has superseded. The walk goes by id and starts over when it reaches the end, so the artifacts that
     * rightly stay locked never crowd the others out of a batch.
     */
    private int releaseSupersededLocks(Instant now) {
        ArtifactId after = lockWalkCursor.get();
        List<JobArtifact> lockedExpired = artifacts.findExpiredLocked(now, after, batchSize);
        lockWalkCursor.compareAndSet(after, lockedExpired.size() < batchSize ? null
                : lockedExpired.get(lockedExpired.size() - 1).id());
        Map<JobId, Job> owners = jobs.findByIds(lockedExpired.stream().map(JobArtifact::jobId).distinct().toList());
        Map<JobId, Boolean> supersededJobs = new HashMap<>();
        int unlocked = 0;
        for (JobArtifact artifact : lockedExpired) {
            Job owner = owners.get(artifact.jobId());
            boolean release = owner == null || supersededJobs.computeIfAbsent(owner.id(), id -> locks.superseded(owner));
            if (release && releaseLock(artifact)) {
                unlocked++;
            }
        }
        return unlocked;
    }

    private boolean releaseLock(JobArtifact artifact) {
        return transactor.inTransaction(() -> artifacts.findById(artifact.id())
                .filter(JobArtifact::locked)
                .map(current -> artifacts.update(ArtifactLocks.withLock(current, false)))
                .isPresent());
    }

    private void recordLock(JobArtifact artifact) {
        transactor.run(() -> artifacts.findById(artifact.id())
                .filter(current -> !current.locked())
                .ifPresent(current -> artifacts.update(ArtifactLocks.withLock(current, true))));
    }
}
