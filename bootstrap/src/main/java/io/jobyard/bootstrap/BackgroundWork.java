package io.jobyard.bootstrap;

import io.jobyard.application.Services;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.EventLog;
import io.jobyard.application.port.out.HookRepository;
import io.jobyard.application.service.artifact.ArtifactExpirySweeper;
import io.jobyard.application.service.artifact.OrphanBlobSweeper;
import io.jobyard.application.service.hook.HookDeliveryWorker;
import io.jobyard.application.service.trace.TraceArchiveSettings;
import io.jobyard.application.service.runner.DelayedJobScheduler;
import io.jobyard.application.service.runner.StuckJobSweeper;
import io.jobyard.application.service.trace.TraceArchiveWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What Jobyard does besides answering requests: the sweeps (artifact expiry, stuck and delayed jobs, interrupted
 * uploads, orphaned blobs, old events, expired web sessions) on one daemon thread, and webhook delivery on a thread of its own that a commit
 * wakes. Log archiving (issue 18) runs on threads of its own too, woken by the commit of a job's ending; it starts with
 * the instance ({@link #startTraceArchiving}), not with the sweeps. Safe on several instances sharing one database and storage: every sweep claims its work optimistically, and
 * the orphan sweep's grace period keeps it off uploads in progress.
 */
final class BackgroundWork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);
    /** No upload stays silent this long: older staged or spooled files belong to uploads that died. */
    static final Duration INTERRUPTED_UPLOAD_AGE = Duration.ofHours(1);
    /** Expired artifacts are deleted in batches of this many, per pass. */
    private static final int EXPIRED_ARTIFACTS_PER_PASS = 100;
    /** Old events and delivery logs are deleted this many per statement. */
    private static final int PRUNE_BATCH = 1000;
    private static final int WEBHOOK_SENDERS = 4;

    private final ArtifactStore artifactStore;
    private final Path uploadSpoolDir;
    private final Clock clock;
    /** Null when Jobyard measures nothing. */
    private final JobyardMetrics metrics;
    private final ArtifactExpirySweeper expirySweeper;
    private final StuckJobSweeper stuckJobs;
    private final DelayedJobScheduler delayedJobs;
    private final OrphanBlobSweeper orphanSweeper;
    private final HookDeliveryWorker webhooks;
    private final EventLog eventLog;
    private final HookRepository hookStore;
    private final Duration eventRetention;
    private final Duration webhookPoll;
    private final Runnable[] sweeps;

    private final TraceArchiveWorker traceArchiver;
    private final Object traceArchiveWake = new Object();
    private boolean traceArchiveWoken;
    private Thread traceArchiveThread;
    private ExecutorService traceArchivers;

    private final Object webhookWake = new Object();
    private boolean webhooksWoken;
    private Thread webhookThread;
    private ExecutorService webhookSenders;
    private ScheduledExecutorService background;
    private boolean sweepsScheduled;

    /**
     * @param uploadSpoolDir where multipart uploads are spooled (created here)
     * @param webhookPoll    how often webhook delivery looks for deliveries other instances committed
     * @param traceArchiving how finished jobs' logs are archived
     */
    BackgroundWork(Services services, ArtifactStore artifactStore, EventLog eventLog, HookRepository hookStore,
                   Path uploadSpoolDir, Clock clock, JobyardMetrics metrics, Duration eventRetention,
                   Duration webhookPoll, TraceArchiveSettings traceArchiving) {
        this.artifactStore = Objects.requireNonNull(artifactStore, "artifactStore");
        this.uploadSpoolDir = Objects.requireNonNull(uploadSpoolDir, "uploadSpoolDir");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = metrics;
        this.eventLog = Objects.requireNonNull(eventLog, "eventLog");
        this.hookStore = Objects.requireNonNull(hookStore, "hookStore");
        this.eventRetention = Objects.requireNonNull(eventRetention, "eventRetention");
        this.webhookPoll = Objects.requireNonNull(webhookPoll, "webhookPoll");
        try {
            // Multipart uploads are spooled here before they stream into the artifact store.
            Files.createDirectories(uploadSpoolDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload spool directory " + uploadSpoolDir, e);
        }
        expirySweeper = services.artifactExpirySweeper();
        stuckJobs = services.stuckJobSweeper();
        delayedJobs = services.delayedJobScheduler();
        orphanSweeper = services.orphanBlobSweeper();
        webhooks = services.hookDeliveryWorker(HookDeliveryWorker.newOwner());
        traceArchiver = services.traceArchiveWorker(TraceArchiveWorker.newOwner(), traceArchiving);
        // Litter younger than an hour at start may belong to another instance sharing the storage; the sweep gets it
        // once no upload can still be writing it.
        sweeps = new Runnable[] {() -> expirySweeper.sweep(EXPIRED_ARTIFACTS_PER_PASS), stuckJobs::sweep,
                delayedJobs::enqueueDue, () -> removeInterruptedUploads(INTERRUPTED_UPLOAD_AGE),
                () -> orphanSweeper.sweepIfDue().ifPresent(this::reportOrphans), this::pruneEvents,
                services.webSessionService()::sweepExpired};
    }

    /** Runs the sweeps every {@code interval} and starts webhook delivery; a second call changes nothing. */
    synchronized void start(Duration interval) {
        if (sweepsScheduled) {
            return;
        }
        long millis = Math.max(1, interval.toMillis());
        background().scheduleWithFixedDelay(this::sweepOnce, millis, millis, TimeUnit.MILLISECONDS);
        sweepsScheduled = true;
        startWebhooks();
    }

    /** One pass of every sweeper; failures are logged, never thrown, so the next pass still runs. */
    void sweepOnce() {
        for (Runnable sweep : sweeps) {
            try {
                sweep.run();
            } catch (RuntimeException e) {
                LOG.warn("Background sweep failed; it runs again on the next pass", e);
            }
        }
    }

    /** Something committed events: the webhook worker looks for deliveries now rather than at its next poll. */
    void wakeWebhooks() {
        synchronized (webhookWake) {
            webhooksWoken = true;
            webhookWake.notifyAll();
        }
    }

    /** A job's ending committed: the log archiving looks at its queue now rather than at its next poll. */
    void wakeTraceArchiving() {
        synchronized (traceArchiveWake) {
            traceArchiveWoken = true;
            traceArchiveWake.notifyAll();
        }
    }

    /** Archives every log that is due now on the calling thread; how many it attempted. */
    int archiveTracesOnce() {
        return traceArchiver.archiveAllDue();
    }

    /**
     * Starts archiving finished jobs' logs on {@code threads} threads (none when the settings say 0); a second call
     * changes nothing.
     */
    synchronized void startTraceArchiving() {
        int threads = traceArchiver.settings().threads();
        if (traceArchiveThread != null || threads == 0) {
            return;
        }
        traceArchivers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "jobyard-trace-archiver");
            thread.setDaemon(true);
            return thread;
        });
        ExecutorService archivers = traceArchivers;
        long poll = Math.max(1, traceArchiver.settings().poll().toMillis());
        traceArchiveThread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                int attempted = 0;
                try {
                    attempted = traceArchiver.archiveDue(archivers, threads);
                } catch (RuntimeException e) {
                    LOG.warn("Trace archiving pass failed; it runs again", e);
                }
                if (attempted > 0) {
                    continue;
                }
                synchronized (traceArchiveWake) {
                    try {
                        if (!traceArchiveWoken) {
                            traceArchiveWake.wait(poll);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    traceArchiveWoken = false;
                }
            }
        }, "jobyard-trace-archiving");
        traceArchiveThread.setDaemon(true);
        traceArchiveThread.start();
    }

    /** One pass of the webhook worker on the calling thread; how many deliveries it attempted. */
    int deliverWebhooksOnce() {
        return webhooks.deliverDue(null);
    }

    /** See {@link Jobyard#removeInterruptedUploads}. */
    int removeInterruptedUploads(Duration olderThan) {
        int staged = artifactStore.cleanupStaging(olderThan);
        int spooled = removeSpooledParts(olderThan);
        if (staged + spooled > 0) {
            LOG.info("Removed {} staged and {} spooled files of interrupted uploads", staged, spooled);
        }
        return staged + spooled;
    }

    /** See {@link Jobyard#collectOrphanBlobs}. */
    long collectOrphanBlobs(Duration grace) {
        OrphanBlobSweeper.SweepResult result = orphanSweeper.sweep(grace);
        reportOrphans(result);
        return result.deleted();
    }

    /** See {@link Jobyard#collectOrphanBlobsInBackground}. */
    synchronized Future<Long> collectOrphanBlobsInBackground(Instant modifiedBefore) {
        Objects.requireNonNull(modifiedBefore, "modifiedBefore");
        return background().submit(() -> {
            OrphanBlobSweeper.SweepResult result = orphanSweeper.sweepModifiedBefore(modifiedBefore);
            reportOrphans(result);
            return result.deleted();
        });
    }

    @Override
    public synchronized void close() {
        if (traceArchiveThread != null) {
            traceArchiveThread.interrupt();
            traceArchivers.shutdownNow();
            traceArchiveThread = null;
        }
        if (webhookThread != null) {
            webhookThread.interrupt();
            webhookSenders.shutdownNow();
            webhookThread = null;
        }
        if (background != null) {
            background.shutdownNow();
            background = null;
            sweepsScheduled = false;
        }
    }

    private void reportOrphans(OrphanBlobSweeper.SweepResult result) {
        if (result.deleted() > 0) {
            LOG.info("Deleted {} orphaned artifact blobs (no artifact record named them; {} old enough looked at)",
                    result.deleted(), result.examined());
        }
        if (metrics != null) {
            metrics.orphansDeleted(result.deleted());
        }
    }

    /**
     * The multipart file parts spooled here ({@code jobyard-part-*.upload}, and {@code undertow*upload} of a version that
     * let Undertow parse uploads); nothing else lives here.
     */
    private int removeSpooledParts(Duration olderThan) {
        Instant cutoff = clock.instant().minus(olderThan);
        int removed = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(uploadSpoolDir,
                "{jobyard-part-*.upload,undertow*upload}")) {
            for (Path part : parts) {
                try {
                    if (!Files.getLastModifiedTime(part).toInstant().isAfter(cutoff) && Files.deleteIfExists(part)) {
                        removed++;
                    }
                } catch (NoSuchFileException finishedMeanwhile) {
                    // its request ended and deleted it
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning the upload spool directory " + uploadSpoolDir + " failed", e);
        }
        return removed;
    }

    /** Events, delivered deliveries and delivery logs older than the retention window go. */
    private void pruneEvents() {
        Instant before = Instant.now().minus(eventRetention);
        while (eventLog.pruneBefore(before, PRUNE_BATCH) == PRUNE_BATCH) {
            Thread.onSpinWait();
        }
        while (hookStore.pruneDelivered(before, PRUNE_BATCH) == PRUNE_BATCH) {
            Thread.onSpinWait();
        }
        while (hookStore.pruneLogs(before, PRUNE_BATCH) == PRUNE_BATCH) {
            Thread.onSpinWait();
        }
    }

    private ScheduledExecutorService background() {
        if (background == null) {
            background = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "jobyard-sweeper");
                thread.setDaemon(true);
                return thread;
            });
        }
        return background;
    }

    private synchronized void startWebhooks() {
        if (webhookThread != null) {
            return;
        }
        webhookSenders = Executors.newFixedThreadPool(WEBHOOK_SENDERS, runnable -> {
            Thread thread = new Thread(runnable, "jobyard-webhook-sender");
            thread.setDaemon(true);
            return thread;
        });
        ExecutorService senders = webhookSenders;
        webhookThread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                int attempted = 0;
                try {
                    attempted = webhooks.deliverDue(senders);
                } catch (RuntimeException e) {
                    LOG.warn("Webhook delivery pass failed; it runs again", e);
                }
                if (attempted > 0) {
                    continue;
                }
                synchronized (webhookWake) {
                    try {
                        if (!webhooksWoken) {
                            webhookWake.wait(Math.max(1, webhookPoll.toMillis()));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    webhooksWoken = false;
                }
            }
        }, "jobyard-webhooks");
        webhookThread.setDaemon(true);
        webhookThread.start();
    }
}
