package io.jobyard.application.service.live;

import io.jobyard.application.port.in.live.FollowEnd;
import io.jobyard.application.port.in.live.FollowSink;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What both live hubs ({@link LiveLogHub}, {@link JobEventsHub}) are built on: followers grouped in channels by what
 * they follow (a job, a project), served by a small fixed pool without a thread per follower. A channel is woken when
 * something may be new for it; one pass then serves all its followers, and passes of one channel never run at once
 * (every sink call for a channel happens in its pass), while different channels' passes share the pool. What a pass
 * does is the hub's; how followers join, are offered events under the pending bound, and leave is this class's.
 *
 * @param <K> what a channel follows
 * @param <C> the hub's channel
 * @param <F> the hub's follower
 */
final class FollowerPool<K, C extends FollowerPool.Channel<K, F>, F extends FollowerPool.Follower<?, C>>
        implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FollowerPool.class.getName());

    private final String threadName;
    private final String keyName;
    private final LiveLogSettings settings;
    private final Consumer<C> pass;
    private final Consumer<C> passFailed;
    private final Map<K, C> channels = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private ScheduledExecutorService executor;
    private volatile boolean started;
    private volatile boolean closed;

    /**
     * @param threadName the pool's thread names, numbered
     * @param keyName    what a key is, for the log ("job", "project")
     * @param settings   the pool's size, the heartbeat interval and the pending bound
     * @param pass       serves a channel's followers; never run twice at once for one channel
     * @param passFailed told after a pass threw (the failure is logged here); the next wake-up tries again
     */
    FollowerPool(String threadName, String keyName, LiveLogSettings settings, Consumer<C> pass,
                 Consumer<C> passFailed) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.keyName = Objects.requireNonNull(keyName, "keyName");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pass = Objects.requireNonNull(pass, "pass");
        this.passFailed = Objects.requireNonNull(passFailed, "passFailed");
    }

    // ------------------------------------------------------------------------------------------------ the pool

    /**
     * Starts the pool once, running {@code beforeFirstPass} first and then {@code periodic} every {@code periodMillis};
     * does nothing when already started.
     *
     * @throws IllegalStateException when the pool is closed
     */
    synchronized void start(Runnable beforeFirstPass, long periodMillis, Runnable periodic) {
        if (started) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("the " + threadName + " followers are closed");
        }
        AtomicInteger number = new AtomicInteger();
        executor = Executors.newScheduledThreadPool(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, threadName + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        beforeFirstPass.run();
        executor.scheduleWithFixedDelay(periodic, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        started = true;
    }

    /** Runs {@code work} on the pool; dropped when the pool is not running. */
    void run(Runnable work) {
        ScheduledExecutorService pool = executor;
        if (pool == null || closed) {
            return;
        }
        try {
            pool.execute(work);
        } catch (RejectedExecutionException shuttingDown) {
            // closed meanwhile
        }
    }

    /** Makes sure a pass of {@code channel} runs after this call (one already running sees the wake-up and repeats). */
    void wake(C channel) {
        if (channel.wakeups.getAndIncrement() == 0) {
            ScheduledExecutorService pool = executor;
            try {
                if (pool == null || closed) {
                    throw new RejectedExecutionException("not running");
                }
                pool.execute(() -> drain(channel));
            } catch (RejectedExecutionException notRunning) {
                channel.wakeups.set(0);
            }
        }
    }

    /** Runs passes until no wake-up came in during the last one. */
    private void drain(C channel) {
        int seen;
        do {
            seen = channel.wakeups.get();
            try {
                pass.accept(channel);
            } catch (RuntimeException e) {
                passFailed.accept(channel);
                failed("serving the followers of " + keyName + " " + channel.key, e);
            }
        } while (channel.wakeups.addAndGet(-seen) != 0);
    }

    /** Logs a failure of the stores the hub reads, rarely: they fail together, and each pass would say so again. */
    void failed(String what, RuntimeException e) {
        if (failures.getAndIncrement() % 100 == 0) {
            LOG.log(System.Logger.Level.WARNING, what + " failed; trying again", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ channels

    /** Adds {@code follower} to the channel of {@code key}, made by {@code newChannel} when there is none yet. */
    C join(K key, Function<K, C> newChannel, F follower) {
        return channels.compute(key, (id, existing) -> {
            C channel = existing != null ? existing : newChannel.apply(id);
            channel.followers.add(follower);
            follower.channel = channel;
            return channel;
        });
    }

    /** The channel of {@code key}, or null when nobody follows it here. */
    C channel(K key) {
        return channels.get(key);
    }

    Collection<C> channels() {
        return channels.values();
    }

    Set<K> keys() {
        return Set.copyOf(channels.keySet());
    }

    /** How many followers this instance serves right now. */
    int followers() {
        return channels.values().stream().mapToInt(c -> c.followers.size()).sum();
    }

    // ------------------------------------------------------------------------------------------------ followers

    /** Offers {@code event}; false when the follower is gone or was cut off by it (its sink over the bound). */
    <E> boolean offer(Follower<E, C> follower, E event, Instant now) {
        if (follower.done.get()) {
            return false;
        }
        long pending;
        try {
            pending = follower.sink.offer(event);
        } catch (RuntimeException sinkFailed) {
            finish(follower, FollowEnd.CANCELED);
            return false;
        }
        follower.lastOffer = now;
        if (pending > settings.maxPendingBytes()) {
            finish(follower, FollowEnd.TOO_SLOW);
            return false;
        }
        return true;
    }

    /**
     * The periodic check of a follower: cut off when it may no longer see what it follows (asked once per heartbeat
     * interval), offered {@code heartbeat} when nothing was offered for an interval, cut off when its sink still holds
     * more than the bound (a client that stopped reading).
     */
    <E> void heartbeat(Follower<E, C> follower, E heartbeat, Instant now) {
        if (follower.done.get() || !stillAllowed(follower, now)) {
            return;
        }
        if (!now.isBefore(follower.lastOffer.plus(settings.heartbeat()))) {
            offer(follower, heartbeat, now);
        } else if (follower.sink.pendingBytes() > settings.maxPendingBytes()) {
            finish(follower, FollowEnd.TOO_SLOW);
        }
    }

    /**
     * Runs the follower's access check when an interval has passed since the last; a refusal ends the follow
     * ({@link FollowEnd#ACCESS_ENDED}). A check that fails otherwise (the database) keeps the follow: it is tried
     * again at the next interval, as a failed pass is.
     */
    private boolean stillAllowed(Follower<?, C> follower, Instant now) {
        if (now.isBefore(follower.lastAccessCheck.plus(settings.heartbeat()))) {
            return true;
        }
        follower.lastAccessCheck = now;
        try {
            follower.accessCheck.run();
            return true;
        } catch (UnauthorizedException | ForbiddenException | NotFoundException refused) {
            finish(follower, FollowEnd.ACCESS_ENDED);
            return false;
        } catch (RuntimeException e) {
            failed("checking a follower's access", e);
            return true;
        }
    }

    /** Ends the follow once: the follower leaves its channel (the channel too when it was the last) and is told. */
    void finish(Follower<?, C> follower, FollowEnd reason) {
        if (!follower.done.compareAndSet(false, true)) {
            return;
        }
        channels.computeIfPresent(follower.channel.key, (id, c) -> {
            c.followers.remove(follower);
            return c.followers.isEmpty() ? null : c;
        });
        try {
            follower.sink.closed(reason);
        } catch (RuntimeException ignored) {
            // the sink's own trouble; the follow is over either way
        }
    }

    /** The subscriber's cancel: the follow ends in the channel's next pass ({@link #finishRequested}). */
    void cancel(Follower<?, C> follower) {
        if (!follower.done.get()) {
            follower.endRequested = FollowEnd.CANCELED;
            wake(follower.channel);
        }
    }

    /** Ends the follows the hub was asked to end (a cancel), in the channel's pass. */
    void finishRequested(C channel) {
        for (F follower : channel.followers) {
            FollowEnd requested = follower.endRequested;
            if (requested != null) {
                finish(follower, requested);
            }
        }
    }

    /** Stops the pool and ends every follow ({@link FollowEnd#SHUTDOWN}). */
    @Override
    public void close() {
        ScheduledExecutorService pool;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pool = executor;
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (C channel : List.copyOf(channels.values())) {
            for (F follower : channel.followers) {
                finish(follower, FollowEnd.SHUTDOWN);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    /** The followers of one key; hubs add what they know of it. */
    abstract static class Channel<K, F> {
        final K key;
        final List<F> followers = new CopyOnWriteArrayList<>();
        final AtomicInteger wakeups = new AtomicInteger();

        Channel(K key) {
            this.key = Objects.requireNonNull(key, "key");
        }
    }

    /** One follow; hubs add its position. */
    abstract static class Follower<E, C> {
        final FollowSink<E> sink;
        final AtomicBoolean done = new AtomicBoolean();
        volatile C channel;
        volatile Instant lastOffer;
        /** Set by the subscriber's thread (a cancel); acted on in the channel's next pass. */
        volatile FollowEnd endRequested;
        /** Throws when the follower, as it stands now, may no longer see what it follows. */
        final Runnable accessCheck;
        volatile Instant lastAccessCheck;

        Follower(FollowSink<E> sink, Runnable accessCheck, Instant now) {
            this.sink = Objects.requireNonNull(sink, "sink");
            this.accessCheck = Objects.requireNonNull(accessCheck, "accessCheck");
            this.lastOffer = now;
            this.lastAccessCheck = now;
        }
    }
}
