package io.jobyard.adapter.http.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * GitLab Workhorse's long polling of {@code POST /jobs/request}: a runner whose {@code last_update} still matches its
 * queue would only get another 204, so its request is held for up to {@link #duration()} and answered as soon as its
 * queue changes — at once when a job is queued on this instance ({@link #jobsQueued()}), within one
 * {@code recheckInterval} when another instance queued it. A held request occupies no thread: it waits in a set, and
 * the checks and the final answer run on the server's worker pool.
 *
 * <p>Off ({@link #off()}) answers every request at once, as without Workhorse.
 */
public final class LongPolling implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LongPolling.class);
    /** Jobs often arrive in bursts (a pipeline's first stage); one look after the burst serves them all. */
    private static final long WAKE_COALESCE_MILLIS = 20;

    private final Duration duration;
    private final Duration recheckInterval;
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    /** A request waiting for its queue to change. */
    private static final class Held {
        final BooleanSupplier queueUnchanged;
        final Runnable answer;
        final Executor worker;
        final long deadlineNanos;
        final AtomicBoolean done = new AtomicBoolean();

        Held(BooleanSupplier queueUnchanged, Runnable answer, Executor worker, long deadlineNanos) {
            this.queueUnchanged = queueUnchanged;
            this.answer = answer;
            this.worker = worker;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /**
     * @param duration        how long a request with an unchanged queue is held at most (GitLab's Workhorse
     *                        default is 50 s); zero turns long polling off
     * @param recheckInterval how often held requests look at the database for jobs other instances queued
     */
    public LongPolling(Duration duration, Duration recheckInterval) {
        this.duration = Objects.requireNonNull(duration, "duration");
        this.recheckInterval = Objects.requireNonNull(recheckInterval, "recheckInterval");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("long polling duration must not be negative");
        }
        if (recheckInterval.isZero() || recheckInterval.isNegative()) {
            throw new IllegalArgumentException("recheck interval must be positive");
        }
        if (duration.isZero()) {
            this.timer = null;
            return;
        }
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "jobyard-long-poll");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        long period = recheckInterval.toMillis();
        executor.scheduleWithFixedDelay(this::lookAgain, period, period, TimeUnit.MILLISECONDS);
        this.timer = executor;
    }

    public static LongPolling off() {
        return new LongPolling(Duration.ZERO, Duration.ofSeconds(1));
    }

    public boolean enabled() {
        return timer != null && !closed;
    }

    public Duration duration() {
        return duration;
    }

    /** How many requests are held right now. */
    public int heldRequests() {
        return held.size();
    }

    /** Jobs were queued on this instance: held requests look again now rather than at their next recheck. */
    public void jobsQueued() {
        if (enabled() && !held.isEmpty() && wakeScheduled.compareAndSet(false, true)) {
            try {
                timer.schedule(() -> {
                    wakeScheduled.set(false);
                    lookAgain();
                }, WAKE_COALESCE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                wakeScheduled.set(false);
            }
        }
    }

    /**
     * Holds a request until {@code queueUnchanged} turns false, the duration passes or the server stops; then
     * {@code answer} runs once on {@code worker}.
     *
     * @return a cancel action for a client that went away (the answer then never runs)
     */
    Runnable hold(BooleanSupplier queueUnchanged, Runnable answer, Executor worker) {
        Held request = new Held(queueUnchanged, answer, worker, System.nanoTime() + duration.toNanos());
        held.add(request);
        if (closed) {
            finish(request);
        }
        return () -> {
            if (request.done.compareAndSet(false, true)) {
                held.remove(request);
            }
        };
    }

    private void lookAgain() {
        long now = System.nanoTime();
        for (Held request : held) {
            if (request.done.get()) {
                continue;
            }
            if (now - request.deadlineNanos >= 0) {
                finish(request);
                continue;
            }
            execute(request.worker, () -> {
                if (request.done.get()) {
                    return;
                }
                boolean unchanged;
                try {
                    unchanged = request.queueUnchanged.getAsBoolean();
                } catch (RuntimeException failure) {
                    // The answer asks again and reports the failure (a deleted runner's 403, a database outage's 503).
                    unchanged = false;
                }
                if (!unchanged) {
                    finish(request);
                }
            });
        }
    }

    private void finish(Held request) {
        if (request.done.compareAndSet(false, true)) {
            held.remove(request);
            execute(request.worker, request.answer);
        }
    }

    private static void execute(Executor worker, Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException workerStopped) {
            LOG.debug("server stopping; a held job request is dropped with its connection");
        }
    }

    /** Answers every held request now (their runners ask again), so a graceful shutdown need not wait for them. */
    @Override
    public void close() {
        closed = true;
        if (timer != null) {
            held.forEach(this::finish);
            timer.shutdownNow();
        }
    }
}
