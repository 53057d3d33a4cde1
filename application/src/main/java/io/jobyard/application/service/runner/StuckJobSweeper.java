package io.jobyard.application.service.runner;

import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.service.Batches;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * GitLab's stuck-job worker for running jobs: a job whose runner has not been heard of (no state update, no log
 * append) for longer than the job's timeout is dropped as {@code stuck_or_timeout_failure}, and its pipeline moves on
 * ({@code retry:} may run it again). Meant to run every minute or so from a scheduler; safe on several instances at
 * once, because each drop is an optimistic update of a fresh read that re-checks the job is still quiet and running.
 */
public final class StuckJobSweeper {
    public static final int DEFAULT_BATCH_SIZE = 100;
    /**
     * Jobs quiet for less than this are not even read. Candidates come oldest-quiet first, so a dead runner's jobs lead
     * each batch; a batch that frees nothing ends the sweep, as there is no cursor to read past it.
     */
    static final Duration MIN_QUIET = Duration.ofMinutes(1);

    private final JobRepository jobs;
    private final JobFinisher finisher;
    private final RunnerSettings settings;
    private final Clock clock;
    private final int batchSize;

    public StuckJobSweeper(JobRepository jobs, JobFinisher finisher, RunnerSettings settings, Clock clock,
                           int batchSize) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.finisher = Objects.requireNonNull(finisher, "finisher");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.batchSize = Batches.size(batchSize);
    }

    /** @return how many jobs this sweep dropped */
    public int sweep() {
        Instant now = clock.instant();
        return Batches.drain(batchSize, limit -> jobs.findRunningNotUpdatedSince(now.minus(MIN_QUIET), limit),
                candidate -> stuck(candidate, now) && drop(candidate, now));
    }

    private boolean drop(Job candidate, Instant now) {
        try {
            return finisher.attempt(candidate.id(), fresh -> fresh.status() == JobStatus.RUNNING && stuck(fresh, now)
                    ? fresh.drop(FailureReason.STUCK_OR_TIMEOUT_FAILURE, null, now)
                    : fresh).changed();
        } catch (ConflictException busy) {
            // Others keep writing this pipeline; the job is looked at again on the next sweep.
            return false;
        }
    }

    private boolean stuck(Job job, Instant now) {
        return !job.updatedAt().plus(settings.timeoutOf(job)).isAfter(now);
    }
}
