package io.jobyard.application.port.out;

import io.jobyard.domain.job.JobId;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The durable queue of finished jobs whose live log waits to be archived (GitLab's {@code Ci::ArchiveTraceWorker}
 * queue, kept in the database): an entry is written in the transaction that completes the job, so a committed ending
 * always has one, and it is removed only once the log is archived and the live chunks are gone.
 *
 * <p>Safe on several instances sharing one database: {@link #claimDue} leases each entry to one claimer at a time
 * (PostgreSQL skips rows another claimer has locked), and the lease runs out on its own when that claimer dies, so the
 * entry is claimed again after a crash.
 */
public interface TraceArchiveQueue {

    /**
     * Queues the job, in the caller's transaction, due at {@code now}; nothing happens when it is queued already.
     */
    void enqueue(JobId job, Instant now);

    /**
     * Leases up to {@code limit} entries that are due at {@code now} and not leased to anyone (or whose lease has run
     * out) to {@code owner} until {@code now + lease}.
     *
     * @return the leased entries, oldest due first
     */
    List<Entry> claimDue(Instant now, int limit, String owner, Duration lease);

    /** Removes a leased entry: its job's log is archived. False when the lease was lost meanwhile. */
    boolean complete(JobId job, String owner);

    /**
     * Returns a leased entry to the queue for another attempt at {@code nextAttemptAt}.
     *
     * @param error why the attempt failed, kept for operators (shortened to what the store holds)
     * @return false when the lease was lost meanwhile
     */
    boolean reschedule(JobId job, String owner, Instant nextAttemptAt, int attempts, String error);

    /** Which of {@code jobs} wait in the queue (leased or not). */
    Set<JobId> queued(Collection<JobId> jobs);

    /** How many entries wait, due or not. */
    long size();

    /**
     * One job waiting for its log to be archived.
     *
     * @param attempts how many attempts failed so far
     */
    record Entry(JobId job, int attempts, Instant nextAttemptAt, Instant queuedAt) {
        /** What {@link #reschedule} keeps of an error message. */
        public static final int MAX_ERROR_LENGTH = 1000;

        public Entry {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
            Objects.requireNonNull(queuedAt, "queuedAt");
        }
    }
}
