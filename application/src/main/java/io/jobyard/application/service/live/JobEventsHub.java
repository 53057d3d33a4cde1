package io.jobyard.application.service.live;

import io.jobyard.application.port.in.ProjectRef;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

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
    private static final int PAGE = 100;

    private final ProjectGate gate;
    private final EventLog log;
    private final EventPayloads payloads;
    private final HookPayloadEncoder encoder;
    private final Transactor transactor;
    private final LiveLogSettings settings;
    private final Clock clock;
    private final Runnable startFeed;
    private final FollowerPool<ProjectId, Channel, Follower> pool;

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
        this.pool = new FollowerPool<>("jobyard-job-events", "project", settings, this::pass, channel -> {
            for (Follower follower : channel.followers) {
                follower.catchingUp = true; // the database failed: the next pass reads from the same numbers
            }
        });
    }

    @Override
    public JobEventsFollow follow(Actor actor, Supplier<Actor> current, ProjectRef ref, OptionalLong afterSeq,
                                  JobEventSink sink) {
        Objects.requireNonNull(current, "current");
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
        Follower follower = new Follower(sink,
                () -> transactor.reading(() -> gate.openBuilds(current.get(), ref)), clock.instant());
        if (afterSeq.isEmpty()) {
            follower.lastSeq = last;
        } else if (resumable(project, afterSeq.getAsLong(), last)) {
            follower.lastSeq = afterSeq.getAsLong();
        } else {
            follower.lastSeq = last;
            follower.resetAt = last;
        }
        pool.wake(pool.join(project, Channel::new, follower));
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
        return pool.followers();
    }

    /**
     * The tailer's feed: {@code event} committed; {@code hookJson} is its hook payload as webhooks send it (null when
     * none could be built: the job is gone). Must not block, and does not.
     */
    public void committed(StatusEvent event, String hookJson) {
        Channel channel = pool.channel(event.project());
        if (channel != null) {
            channel.incoming.add(new Told(event, hookJson));
            pool.wake(channel);
        }
    }

    private void start() {
        long millis = Math.max(10, settings.heartbeat().toMillis() / 2);
        pool.start(startFeed, millis, this::tick);
    }

    private void tick() {
        for (Channel channel : pool.channels()) {
            channel.tickDue = true;
            pool.wake(channel);
        }
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
        long committed = tick ? log.lastSeq(channel.key) : -1;
        Map<Long, Optional<String>> read = new HashMap<>();
        for (Follower follower : channel.followers) {
            if (follower.done.get()) {
                continue;
            }
            if (follower.endRequested != null) {
                pool.finish(follower, follower.endRequested);
                continue;
            }
            if (follower.resetAt >= 0) {
                if (!pool.offer(follower, new JobStreamEvent.Reset(follower.resetAt), now)) {
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
            if (tick) {
                pool.heartbeat(follower, JobStreamEvent.HEARTBEAT, now);
            }
        }
    }

    /** Reads the follower's next events from the log while its sink has room; done when it reaches the end. */
    private void catchUp(Channel channel, Follower follower, Map<Long, Optional<String>> read, Instant now) {
        long room = settings.maxPendingBytes() / 2;
        while (!follower.done.get() && follower.sink.pendingBytes() <= room) {
            List<StatusEvent> page = log.projectEventsAfter(channel.key, follower.lastSeq, PAGE);
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
                && !pool.offer(follower, new JobStreamEvent.Job(event.seq(), json), now)) {
            return false;
        }
        follower.lastSeq = event.seq();
        return true;
    }

    @Override
    public void close() {
        pool.close();
    }

    // ------------------------------------------------------------------------------------------------ state

    private record Told(StatusEvent event, String json) {
    }

    private static final class Channel extends FollowerPool.Channel<ProjectId, Follower> {
        final ConcurrentLinkedQueue<Told> incoming = new ConcurrentLinkedQueue<>();
        volatile boolean tickDue;

        Channel(ProjectId project) {
            super(project);
        }
    }

    private final class Follower extends FollowerPool.Follower<JobStreamEvent, Channel> implements JobEventsFollow {
        /** Written by passes only (one at a time per channel). */
        volatile long lastSeq;
        volatile long resetAt = -1;
        volatile boolean catchingUp = true;

        Follower(JobEventSink sink, Runnable accessCheck, Instant now) {
            super(sink, accessCheck, now);
        }

        @Override
        public void cancel() {
            pool.cancel(this);
        }

        @Override
        public void drained() {
            if (!done.get() && catchingUp) {
                pool.wake(channel);
            }
        }
    }
}
