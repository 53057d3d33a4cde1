package io.jobyard.application.service.trace;

import io.jobyard.application.port.out.TraceArchiveQueue;
import io.jobyard.application.port.out.TraceArchiveQueue.Entry;
import io.jobyard.domain.job.JobId;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Archives the logs of finished jobs from the {@link TraceArchiveQueue}, outside any request (GitLab's
 * {@code Ci::ArchiveTraceWorker}): the runner's final {@code PUT} commits the job's ending with a queue entry and is
 * answered without waiting for object storage.
 *
 * <p>Each pass leases the entries that are due, archives each ({@link TraceArchiver}: copy, record, then delete the
 * live chunks), and removes the entry only after that — so an instance killed at any point leaves the entry, which is
 * leased again once its lease runs out, and the archiver, being idempotent, finishes what was left: the copy is made
 * again, or the record found and the live chunks deleted. A failed attempt is retried with exponential backoff, and
 * entries are never dropped. Two instances (or two passes whose leases overlapped) archiving one job is harmless: the
 * archiver lets one record win. After an archive the job's live log followers are told, so they read the log where it
 * now is and learn that it is final.
 */
public final class TraceArchiveWorker {
    private static final System.Logger LOG = System.getLogger(TraceArchiveWorker.class.getName());
    /** After this many doublings the retry delay stays where it is. */
    private static final int MAX_DOUBLINGS = 16;

    private final TraceArchiveQueue queue;
    private final TraceArchiver archiver;
    private final Consumer<JobId> archived;
    private final Clock clock;
    private final String owner;
    private final TraceArchiveSettings settings;

    /**
     * @param archived told each job whose archive is recorded (the live log followers, a hint: their poll finds the
     *                 archive anyway); a callback, so that this feature does not depend on the live one
     * @param owner    this instance's name in the leases it takes
     */
    public TraceArchiveWorker(TraceArchiveQueue queue, TraceArchiver archiver, Consumer<JobId> archived, Clock clock,
                              String owner, TraceArchiveSettings settings) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.archiver = Objects.requireNonNull(archiver, "archiver");
        this.archived = Objects.requireNonNull(archived, "archived");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public static String newOwner() {
        return "jobyard-" + UUID.randomUUID();
    }

    public TraceArchiveSettings settings() {
        return settings;
    }

    /**
     * One pass: leases up to {@code limit} due entries and archives them, side by side on {@code archivers} threads (or
     * one after the other on the calling thread when it is null).
     *
     * @return how many entries were attempted
     */
    public int archiveDue(ExecutorService archivers, int limit) {
        List<Entry> due = queue.claimDue(clock.instant(), limit, owner, settings.lease());
        if (due.isEmpty()) {
            return 0;
        }
        if (archivers == null) {
            due.forEach(this::archiveQuietly);
            return due.size();
        }
        List<Future<?>> running = new ArrayList<>(due.size());
        for (Entry entry : due) {
            running.add(archivers.submit(() -> archiveQuietly(entry)));
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                LOG.log(System.Logger.Level.WARNING, "archiving a log failed unexpectedly", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return due.size();
    }

    /** Archives everything that is due now on the calling thread, pass after pass; how many were attempted. */
    public int archiveAllDue() {
        int attempted = 0;
        for (int passed = archiveDue(null, 16); passed > 0; passed = archiveDue(null, 16)) {
            attempted += passed;
        }
        return attempted;
    }

    private void archiveQuietly(Entry entry) {
        try {
            archive(entry);
        } catch (RuntimeException e) {
            // The lease runs out and the entry is taken again; a database outage must not end the worker.
            LOG.log(System.Logger.Level.WARNING, "archiving the log of job " + entry.job() + " failed", e);
        }
    }

    void archive(Entry entry) {
        JobId job = entry.job();
        try {
            archiver.archive(job);
        } catch (RuntimeException e) {
            int attempts = entry.attempts() + 1;
            Instant next = clock.instant().plus(retryDelay(attempts));
            LOG.log(System.Logger.Level.WARNING, "archiving the log of job " + job + " failed (attempt " + attempts
                    + "); it is tried again at " + next, e);
            queue.reschedule(job, owner, next, attempts, String.valueOf(e));
            return;
        }
        // Only now: the archive is recorded and the live chunks are gone, so nothing is left to redo.
        queue.complete(job, owner);
        try {
            archived.accept(job);
        } catch (RuntimeException e) {
            // A hint only: the followers' poll finds the archive anyway.
            LOG.log(System.Logger.Level.DEBUG, "telling the live log followers of job " + job + " failed", e);
        }
    }

    /** {@code firstRetry} after the first failed attempt, doubling with each further one, at most {@code maxRetry}. */
    Duration retryDelay(int failedAttempts) {
        Duration delay = settings.firstRetry()
                .multipliedBy(1L << Math.min(MAX_DOUBLINGS, Math.max(0, failedAttempts - 1)));
        return delay.compareTo(settings.maxRetry()) > 0 ? settings.maxRetry() : delay;
    }
}
