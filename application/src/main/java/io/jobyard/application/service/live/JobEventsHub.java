package io.jobyard.application.service.live;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.live.FollowEnd;
import io.jobyard.application.port.in.live.FollowJobEventsUseCase;
import io.jobyard.application.port.in.live.JobEventSink;
import io.jobyard.application.port.in.live.JobEventsFollow;
import io.jobyard.application.port.in.live.JobStreamEvent;
import io.jobyard.application.port.out.EventLog;
import io.jobyard.application.port.out.HookPayloadEncoder;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.application.service.event.EventPayloads;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.event.EventKind;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.project.ProjectId;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Project job event follows without a thread per follower, fed by the instance's one event log tailer (issue 19): the
 * tailer hands every committed event with its hook JSON to {@link #committed}, which queues it on its project's
 * channel; a small pool then tells each follower of the project the events after its number. Nothing is read per
 * follower while it keeps up: the JSON is built once per event, by the tailer's side.
 *
 * <p>Exactly once, in order. Each follower has the last number it has passed ({@code lastSeq}, pipeline events
 * included, which are passed over untold). A live event that is the next number is told; one that leaves a gap (the
 * follower resumed, or the tailer's feed lost something) sends the follower to the event log to catch up from its
 * number, page by page, paced by what its sink still holds; live events it already read there are skipped by number.
 * A periodic pass also compares each channel with the project's committed number, so an event the feed never told is
 * found within a heartbeat interval.
 *
 * <p>Resume and reset. A follower resuming after a number whose successors were pruned (older than the retention
 * window), or after a number never handed out, is told {@link JobStreamEvent.Reset} and goes on from the project's
 * current number: a client too far behind re-reads the jobs rather than missing changes silently.
 */
public final class JobEventsHub implements FollowJobEventsUseCase, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JobEventsHub.class.getName());
    private static final int PAGE = 100;

    private final ProjectGate gate;
    private final EventLog log;
    private final EventPayloads payloads;
    private final HookPayloadEncoder encoder;
    private final Transactor transactor;
    private final LiveLogSettings settings;
    private final Clock clock;
    private final Runnable startFeed;
    private final Map<ProjectId, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private ScheduledExecutorService executor;
    private volatile boolean started;
    private volatile boolean closed;

    /**
     * @param settings  the heartbeat interval, the pending bound and the pool size, shared with live log follows
     * @param startFeed connects the event log tailer to {@link #committed}; run once, before the first follower reads
     *                  the log, so that no event committed after that read goes unheard
     */
    public JobEventsHub(ProjectGate gate, EventLog log, EventPayloads payloads, HookPayloadEncoder encoder,
                        Transactor transactor, LiveLogSettings settings, Clock clock, Runnable startFeed) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.log = Objects.requireNonNull(log, "log");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startFeed = Objects.requireNonNull(startFeed, "startFeed");
    }

    @Override
    public JobEventsFollow follow(Actor actor, ProjectRef ref, OptionalLong afterSeq, JobEventSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (afterSeq.isPresent() && afterSeq.getAsLong() < 0) {
            throw new BadRequestException("the event number must not be negative");
        }
        // The jobs list's rule (ListJobsService): the project visible, its builds readable; a job token reaches its
        // own project only (ProjectGate).
        ProjectAccess access = transactor.reading(() -> gate.openBuilds(actor, ref));
        start();
        ProjectId project = access.project().id();
        long last = log.lastSeq(project);
        Follower follower = new Follower(sink, clock.instant());
        if (afterSeq.isEmpty()) {
            follower.lastSeq = last;
        } else if (resumable(project, afterSeq.getAsLong(), last)) {
            follower.lastSeq = afterSeq.getAsLong();
        } else {
            follower.lastSeq = last;
            follower.resetAt = last;
        }
        Channel channel = channels.compute(project, (id, existing) -> {
            Channel c = existing != null ? existing : new Channel(id);
            c.followers.add(follower);
            follower.channel = c;
            return c;
        });
        wake(channel);
        return follower;
    }

    /** Whether every event numbered above {@code after} is still in the log. */
    private boolean resumable(ProjectId project, long after, long last) {
        if (after > last) {
            return false; // a number this project never handed out
        }
        if (after == last) {
            return true;
        }
        List<StatusEvent> next = log.projectEventsAfter(project, after, 1);
        return !next.isEmpty() && next.get(0).seq() == after + 1;
    }

    /** How many followers this instance serves right now. */
    public int followers() {
        return channels.values().stream().mapToInt(c -> c.followers.size()).sum();
    }

    /**
     * The tailer's feed: {@code event} committed; {@code hookJson} is its hook payload as webhooks send it (null when
     * none could be built: the job is gone). Must not block, and does not.
     */
    public void committed(StatusEvent event, String hookJson) {
        Channel channel = channels.get(event.project());
        if (channel != null) {
            channel.incoming.add(new Told(event, hookJson));
            wake(channel);
        }
    }

    // ------------------------------------------------------------------------------------------------ the pool

    private synchronized void start() {
        if (started) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("the job event hub is closed");
        }
        AtomicInteger number = new AtomicInteger();
        executor = Executors.newScheduledThreadPool(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "jobyard-job-events-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        startFeed.run();
        long millis = Math.max(10, settings.heartbeat().toMillis() / 2);
        executor.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
        started = true;
    }

    private void tick() {
        for (Channel channel : channels.values()) {
            channel.tickDue = true;
            wake(channel);
        }
    }

    private void wake(Channel channel) {
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

    private void drain(Channel channel) {
        int seen;
        do {
            seen = channel.wakeups.get();
            try {
                pass(channel);
            } catch (RuntimeException e) {
                // The database failed: the next wake-up or tick tries again from the same numbers.
                for (Follower follower : channel.followers) {
                    follower.catchingUp = true;
                }
                if (failures.getAndIncrement() % 100 == 0) {
                    LOG.log(System.Logger.Level.WARNING, "serving the job event followers of project "
                            + channel.project + " failed; trying again", e);
                }
            }
        } while (channel.wakeups.addAndGet(-seen) != 0);
    }

    // ------------------------------------------------------------------------------------------------ a pass

    private void pass(Channel channel) {
        Instant now = clock.instant();
        List<Told> live = new ArrayList<>();
        for (Told told; (told = channel.incoming.poll()) != null; ) {
            live.add(told);
        }
        boolean tick = channel.tickDue;
        channel.tickDue = false;
        long committed = tick ? log.lastSeq(channel.project) : -1;
        Map<Long, Optional<String>> read = new HashMap<>();
        for (Follower follower : channel.followers) {
            if (follower.done.get()) {
                continue;
            }
            if (follower.endRequested != null) {
                finish(follower, follower.endRequested);
                continue;
            }
            if (follower.resetAt >= 0) {
                if (!offer(follower, new JobStreamEvent.Reset(follower.resetAt), now)) {
                    continue;
                }
                follower.resetAt = -1;
            }
            if (!follower.catchingUp) {
                for (Told told : live) {
                    long seq = told.event.seq();
                    if (seq <= follower.lastSeq) {
                        continue;
                    }
                    if (seq != follower.lastSeq + 1) {
                        follower.catchingUp = true; // a gap: the log has what the feed did not bring
                        break;
                    }
                    if (!tell(follower, told.event, told.json, now)) {
                        break;
                    }
                }
            }
            if (!follower.catchingUp && committed > follower.lastSeq) {
                follower.catchingUp = true; // committed, yet not heard of: the feed missed it
            }
            if (follower.catchingUp) {
                catchUp(channel, follower, read, now);
            }
            if (tick && !follower.done.get()) {
                if (!now.isBefore(follower.lastOffer.plus(settings.heartbeat()))) {
                    offer(follower, JobStreamEvent.HEARTBEAT, now);
                } else if (follower.sink.pendingBytes() > settings.maxPendingBytes()) {
                    finish(follower, FollowEnd.TOO_SLOW);
                }
            }
        }
    }

    /** Reads the follower's next events from the log while its sink has room; done when it reaches the end. */
    private void catchUp(Channel channel, Follower follower, Map<Long, Optional<String>> read, Instant now) {
        long room = settings.maxPendingBytes() / 2;
        while (!follower.done.get() && follower.sink.pendingBytes() <= room) {
            List<StatusEvent> page = log.projectEventsAfter(channel.project, follower.lastSeq, PAGE);
            for (StatusEvent event : page) {
                String json = event.kind() == EventKind.JOB
                        ? read.computeIfAbsent(event.id(), id -> payloads.payload(event).map(encoder::encode))
                        .orElse(null) : null;
                if (!tell(follower, event, json, now)) {
                    return;
                }
            }
            if (page.size() < PAGE) {
                follower.catchingUp = false;
                return;
            }
        }
        // Paced: the rest is read when the sink has drained (drained()) or at the next tick.
    }

    /** Passes {@code event}, telling it when it is a job's; false when the follower was cut off by it. */
    private boolean tell(Follower follower, StatusEvent event, String json, Instant now) {
        if (event.kind() == EventKind.JOB && json != null
                && !offer(follower, new JobStreamEvent.Job(event.seq(), json), now)) {
            return false;
        }
        follower.lastSeq = event.seq();
        return true;
    }

    private boolean offer(Follower follower, JobStreamEvent event, Instant now) {
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

    private void finish(Follower follower, FollowEnd reason) {
        if (!follower.done.compareAndSet(false, true)) {
            return;
        }
        channels.computeIfPresent(follower.channel.project, (id, c) -> {
            c.followers.remove(follower);
            return c.followers.isEmpty() ? null : c;
        });
        try {
            follower.sink.closed(reason);
        } catch (RuntimeException ignored) {
            // the sink's own trouble; the follow is over either way
        }
    }

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
        for (Channel channel : List.copyOf(channels.values())) {
            for (Follower follower : channel.followers) {
                finish(follower, FollowEnd.SHUTDOWN);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    private record Told(StatusEvent event, String json) {
    }

    private static final class Channel {
        final ProjectId project;
        final List<Follower> followers = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<Told> incoming = new ConcurrentLinkedQueue<>();
        final AtomicInteger wakeups = new AtomicInteger();
        volatile boolean tickDue;

        Channel(ProjectId project) {
            this.project = project;
        }
    }

    private final class Follower implements JobEventsFollow {
        final JobEventSink sink;
        final AtomicBoolean done = new AtomicBoolean();
        volatile Channel channel;
        /** Written by passes only (one at a time per channel). */
        volatile long lastSeq;
        volatile long resetAt = -1;
        volatile boolean catchingUp = true;
        volatile Instant lastOffer;
        volatile FollowEnd endRequested;

        Follower(JobEventSink sink, Instant now) {
            this.sink = sink;
            this.lastOffer = now;
        }

        @Override
        public void cancel() {
            if (!done.get()) {
                endRequested = FollowEnd.CANCELED;
                wake(channel);
            }
        }

        @Override
        public void drained() {
            if (!done.get() && catchingUp) {
                wake(channel);
            }
        }
    }
}
