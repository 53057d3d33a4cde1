package io.jobyard.application.service.runner;

import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.service.Batches;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.pipeline.PipelineProgress;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobEvent;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineProcessor;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts {@code when: delayed} jobs whose time has come ({@code enqueue_scheduled}: scheduled → pending, or
 * waiting_for_resource with a resource group). The due time lives in the database, so nothing is lost across restarts:
 * a job that fell due while no instance ran is enqueued on the next run (GitLab would fail it as a stale schedule after
 * an hour; starting it late is what a restarted Jobyard is for). Safe on several instances: each job is enqueued by an
 * optimistic update of a fresh read that re-checks it is still scheduled and due, so exactly one instance wins.
 */
public final class DelayedJobScheduler {
    public static final int DEFAULT_BATCH_SIZE = 100;

    private final JobRepository jobs;
    private final PipelineProgress progress;
    private final OptimisticRetry retry;
    private final Clock clock;
    private final int batchSize;

    public DelayedJobScheduler(JobRepository jobs, PipelineProgress progress, OptimisticRetry retry, Clock clock,
                               int batchSize) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.batchSize = Batches.size(batchSize);
    }

    /** @return how many jobs this run enqueued */
    public int enqueueDue() {
        Instant now = clock.instant();
        // Enqueued jobs leave the scheduled set, so the next read starts after them.
        return Batches.drain(batchSize, limit -> jobs.findScheduledBefore(now, limit),
                candidate -> enqueue(candidate, now));
    }

    private boolean enqueue(Job candidate, Instant now) {
        try {
            return retry.run(() -> {
                Job fresh = jobs.findById(candidate.id()).orElseThrow(() -> NotFoundException.record("Job"));
                if (fresh.status() != JobStatus.SCHEDULED || fresh.scheduledAt() == null
                        || fresh.scheduledAt().isAfter(now)) {
                    return false;
                }
                Optional<Job> next = fresh.tryApply(JobEvent.ENQUEUE_SCHEDULED,
                        PipelineProcessor.enqueueContext(fresh).withScheduledTimeReached(true), now);
                if (next.isEmpty()) {
                    return false;
                }
                Job stored = jobs.update(next.get());
                progress.advance(stored.pipelineId());
                return true;
            });
        } catch (ConflictException busy) {
            // Others keep writing this pipeline; the job is still scheduled and due, so the next run takes it.
            return false;
        }
    }
}
