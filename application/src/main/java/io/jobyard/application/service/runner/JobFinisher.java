package io.jobyard.application.service.runner;

import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.live.LiveLogHub;
import io.jobyard.application.service.pipeline.PipelineProgress;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Ends a job the way every runner-side ending must: the transition (success, failure, cancel completion) and the
 * pipeline processing it triggers — next stage enqueued, {@code retry:} honoured, pipeline status derived — commit in
 * one transaction, retried from a fresh read when another writer got there first. The same transaction queues the
 * archiving of the job's log (the event outbox writes the entry of every ending,
 * {@link io.jobyard.application.service.event.EventOutbox#endsALog}); the log is archived in the background
 * ({@link io.jobyard.application.service.trace.TraceArchiveWorker}), so an ending never waits for object storage.
 * Once committed, the job's live log followers, here and on the other instances, are told to look again
 * ({@link LiveLogHub}): they find the job ended and its log not yet final, and are told again when it is archived.
 */
public final class JobFinisher {
    private static final System.Logger LOG = System.getLogger(JobFinisher.class.getName());

    private final JobRepository jobs;
    private final PipelineProgress progress;
    private final OptimisticRetry retry;
    private final LiveLogHub liveLog;

    public JobFinisher(JobRepository jobs, PipelineProgress progress, OptimisticRetry retry, LiveLogHub liveLog) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.liveLog = Objects.requireNonNull(liveLog, "liveLog");
    }

    /**
     * Applies {@code transition} to a fresh read of the job. The transition is called again on every retry, so it must
     * decide from the job it is given; returning that job unchanged means there is nothing to do.
     *
     * @return the job as stored afterwards (as read, when nothing changed)
     * @throws io.jobyard.domain.error.ConflictException when other writers kept winning ("409 Conflict: Resource lock")
     */
    public Job finish(JobId id, UnaryOperator<Job> transition) {
        return attempt(id, transition).job();
    }

    /** {@link #finish}, telling also whether this call changed the job. */
    public Finished attempt(JobId id, UnaryOperator<Job> transition) {
        Finished finished = retry.run(() -> {
            Job fresh = jobs.findById(id).orElseThrow(() -> NotFoundException.record("Job"));
            Job next = transition.apply(fresh);
            if (next.equals(fresh)) {
                return new Finished(fresh, false, false);
            }
            // Processing may write the job again (an automatic retry marks it retried): answer what it left stored.
            Job current = progress.advanceAfter(jobs.update(next));
            return new Finished(current, true, current.status().isComplete() && !fresh.status().isComplete());
        });
        if (finished.completedNow()) {
            tellFollowers(finished.job());
        }
        return finished;
    }

    /** After the commit, so a follower told of the end finds it. */
    private void tellFollowers(Job job) {
        try {
            liveLog.jobChanged(job.id());
        } catch (RuntimeException e) {
            // A hint only: the followers' poll finds the ending anyway.
            LOG.log(System.Logger.Level.DEBUG, "telling the live log followers of job " + job.id() + " failed", e);
        }
    }

    /**
     * @param changed      this call stored a new version of the job
     * @param completedNow this call completed the job (success, failed, canceled)
     */
    public record Finished(Job job, boolean changed, boolean completedNow) {
    }
}
