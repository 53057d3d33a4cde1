package io.jobyard.application.service.live;

import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.live.FollowEnd;
import io.jobyard.application.port.in.live.FollowTraceUseCase;
import io.jobyard.application.port.in.live.LiveLogEvent;
import io.jobyard.application.port.in.live.LiveLogSink;
import io.jobyard.application.port.in.live.LogFollow;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.port.out.LiveLogSignals;
import io.jobyard.application.port.out.LiveLogSignals.Signal;
import io.jobyard.application.service.live.LiveJobStates.LiveJobState;
import io.jobyard.application.service.trace.ReadTraceService;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live log follows without a thread per follower. Followers are sinks grouped by job ("channels"); a small fixed pool
 * does all the reading and delivering. When a job's log grows — an append committed on this instance, a signal from
 * another instance, or the periodic poll of the log lengths — the job's channel is woken, and one pass reads the new
 * bytes once and offers the same array to every follower that stands at that offset. Passes of one channel never run
 * concurrently (every sink call for a job happens in its pass), while different jobs' passes share the pool.
 *
 * <p>Exactly once, byte for byte. Each follower has an offset; a pass offers it the bytes at that offset and advances
 * it by what was offered. The bytes come from the live log while the job runs and from wherever the log is once it has
 * finished ({@link ReadTraceService#logOf}: the archived copy, or the live log while archiving has not taken over), so a follower reading
 * through the hand-over continues at its offset in the other copy. Both copies hold the same bytes at the same offsets
 * (archiving may mask a secret split across two appends once more, in place, keeping the length), and nothing is
 * decoded: invalid UTF-8 is delivered as stored.
 *
 * <p>Slow followers. A follower that stands at the end of the log is offered new bytes as they come; if its sink then
 * holds more than {@link LiveLogSettings#maxPendingBytes()} undelivered, it is cut off ({@link FollowEnd#TOO_SLOW})
 * rather than buffered for. A follower catching up on an existing log (a resume from an old offset) is given the next
 * part only while the part fits under the bound, and is woken for more by {@link LogFollow#drained()} or the poll.
 *
 * <p>The end. Once the job has finished and its log is final ({@link LiveJobStates}), every follower gets the rest of
 * the log, the final status, and {@link LiveLogEvent.End}, and is closed ({@link FollowEnd#COMPLETE}).
 */
public final class LiveLogHub implements FollowTraceUseCase, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LiveLogHub.class.getName());

    private final ReadTraceService readTrace;
    private final TraceStore traces;
    private final LiveJobStates states;
    private final LiveLogSignals signals;
    private final LiveLogSettings settings;
    private final Clock clock;
    private final LiveLogSignals.Receiver receiver = new Receiver();
    private final FollowerPool<JobId, Channel, Follower> pool;

    /**
     * @param readTrace the trace read, whose checks decide who may follow, and which serves a job's log, live or
     *                  archived, once they are made
     * @param traces    the live logs: read directly while a job runs, and polled for their lengths
     * @param signals   the transport to and from other instances ({@link LiveLogSignals#LOCAL_ONLY} for none)
     */
    public LiveLogHub(ReadTraceService readTrace, TraceStore traces,
                      LiveJobStates states, LiveLogSignals signals, LiveLogSettings settings, Clock clock) {
        this.readTrace = Objects.requireNonNull(readTrace, "readTrace");
        this.traces = Objects.requireNonNull(traces, "traces");
        this.states = Objects.requireNonNull(states, "states");
        this.signals = Objects.requireNonNull(signals, "signals");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        // A failed pass leaves every offset where it was: the next wake-up or poll reads from there again.
        this.pool = new FollowerPool<>("jobyard-live-log", "job", settings, this::pass, channel -> { });
    }

    // ------------------------------------------------------------------------------------------------ the follow

    @Override
    public LogFollow follow(Actor actor, Supplier<Actor> current, ProjectRef project, JobId job, long fromOffset,
                            LiveLogSink sink) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(sink, "sink");
        if (fromOffset < 0) {
            throw new BadRequestException("offset must not be negative");
        }
        // The trace read's own checks (project visible, builds readable, the job's trace readable): whoever may read
        // the log may follow it. Nothing is opened.
        Download log = readTrace.readTrace(actor, project, job);
        if (fromOffset > log.size()) {
            throw new RangeNotSatisfiableException(log.size());
        }
        start();
        LiveJobState state = states.current(List.of(job)).getOrDefault(job, LiveJobState.GONE);
        Follower follower = new Follower(sink, () -> readTrace.readTrace(current.get(), project, job), fromOffset,
                fromOffset < log.size(), clock.instant());
        Channel channel = pool.join(job, id -> new Channel(id, state), follower);
        channel.grow(log.size());
        pool.wake(channel);
        return follower;
    }

    /** How many followers this instance serves right now. */
    public int followers() {
        return pool.followers();
    }

    // ----------------------------------------------------------------------------------------- what is heard

    /**
     * This instance's append committed: its followers are served at once, the other instances are told. Called after
     * the commit, never before (a follower told of bytes must be able to read them); must not block, the runner's
     * append waits for it.
     */
    public void appended(JobId job, long length) {
        logGrew(job, length);
        publish(Signal.logAppended(job, length));
    }

    /** A job's status changed or its log moved (archived): its followers look again, other instances are told. */
    public void jobChanged(JobId job) {
        stateChanged(job);
        publish(Signal.jobChanged(job));
    }

    private void logGrew(JobId job, long length) {
        Channel channel = pool.channel(job);
        if (channel != null) {
            channel.grow(length);
            pool.wake(channel);
        }
    }

    private void stateChanged(JobId job) {
        Channel channel = pool.channel(job);
        if (channel != null) {
            channel.refreshState = true;
            pool.wake(channel);
        }
    }

    private void publish(Signal signal) {
        try {
            signals.publish(signal);
        } catch (RuntimeException e) {
            // A hint only: the other instances' polls find the change anyway.
            LOG.log(System.Logger.Level.DEBUG, "publishing " + signal + " failed", e);
        }
    }

    private final class Receiver implements LiveLogSignals.Receiver {
        @Override
        public void received(Signal signal) {
            switch (signal.kind()) {
                case LOG_APPENDED -> logGrew(signal.job(), signal.length());
                case JOB_CHANGED -> stateChanged(signal.job());
            }
        }

        @Override
        public void missedSome() {
            pool.run(LiveLogHub.this::poll);
        }
    }

    // ------------------------------------------------------------------------------------------------ the pool

    /** Starts the pool, the poll and the transport; idempotent. Follows start it on first use. */
    public void start() {
        // Listening begins before the first follower reads the log's length, so no later append goes unheard.
        pool.start(() -> signals.listen(receiver), Math.max(1, settings.pollInterval().toMillis()), this::poll);
    }

    /**
     * The periodic look at every followed job: its state and its log's length, each for all jobs in one read, then a
     * pass over every channel (which also sends the heartbeats that are due).
     */
    public void poll() {
        Set<JobId> followed = pool.keys();
        if (followed.isEmpty()) {
            return;
        }
        try {
            Map<JobId, LiveJobState> current = states.current(followed);
            Map<JobId, Long> lengths = traces.lengths(followed);
            for (Channel channel : pool.channels()) {
                LiveJobState state = current.get(channel.key);
                if (state != null) {
                    channel.state = state;
                }
                Long length = lengths.get(channel.key);
                if (length != null) {
                    channel.grow(length);
                }
                channel.heartbeatDue = true;
                pool.wake(channel);
            }
        } catch (RuntimeException e) {
            pool.failed("polling the followed jobs", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ a pass

    private void pass(Channel channel) {
        if (channel.refreshState) {
            channel.refreshState = false;
            channel.state = states.current(List.of(channel.key)).getOrDefault(channel.key, LiveJobState.GONE);
        }
        LiveJobState state = channel.state;
        Instant now = clock.instant();
        pool.finishRequested(channel);
        long target = channel.knownLength.get();
        long finalLength = -1;
        if (state.logFinal()) {
            finalLength = readTrace.logOf(channel.key).size();
            target = finalLength;
        }
        for (Follower follower : channel.followers) {
            if (follower.toldStatus == null) {
                tellStatus(follower, state.status(), now);
            }
        }
        deliverBytes(channel, target, state, now);
        for (Follower follower : channel.followers) {
            if (follower.toldStatus != state.status()) {
                tellStatus(follower, state.status(), now);
            }
            if (finalLength >= 0 && follower.offset >= finalLength && pool.offer(follower,
                    new LiveLogEvent.End(state.status(), finalLength), now)) {
                pool.finish(follower, FollowEnd.COMPLETE);
            }
        }
        if (channel.heartbeatDue) {
            channel.heartbeatDue = false;
            for (Follower follower : channel.followers) {
                pool.heartbeat(follower, LiveLogEvent.HEARTBEAT, now);
            }
        }
    }

    private void tellStatus(Follower follower, JobStatus status, Instant now) {
        if (pool.offer(follower, new LiveLogEvent.Status(status), now)) {
            follower.toldStatus = status;
        }
    }

    /**
     * Reads up to {@code target} and delivers: followers standing at the same offset form a group, and each group's
     * next part is read once and offered to all of its members. The followers at the end of the log are one group, so
     * an append is read once however many follow it.
     */
    private void deliverBytes(Channel channel, long target, LiveJobState state, Instant now) {
        int chunk = settings.chunkSize();
        long room = settings.maxPendingBytes() - chunk;
        while (true) {
            TreeMap<Long, List<Follower>> groups = new TreeMap<>();
            for (Follower follower : channel.followers) {
                if (follower.done.get()) {
                    continue;
                }
                if (follower.offset >= target) {
                    follower.catchingUp = false;
                    continue;
                }
                if (follower.catchingUp && follower.sink.pendingBytes() > room) {
                    continue; // paced: woken again by drained() or the poll
                }
                groups.computeIfAbsent(follower.offset, any -> new ArrayList<>()).add(follower);
            }
            if (groups.isEmpty()) {
                return;
            }
            for (Map.Entry<Long, List<Follower>> group : groups.entrySet()) {
                long offset = group.getKey();
                byte[] bytes = read(channel.key, offset, (int) Math.min(chunk, target - offset), state);
                if (bytes.length == 0) {
                    return; // shorter than it was said to be (erased meanwhile): the next state tells the end
                }
                LiveLogEvent.Bytes event = new LiveLogEvent.Bytes(offset, bytes);
                for (Follower follower : group.getValue()) {
                    if (pool.offer(follower, event, now)) {
                        follower.offset = event.end();
                    }
                }
            }
        }
    }

    /**
     * {@code length} bytes at {@code offset}, or fewer where the log ends. A running job's bytes come straight from
     * the live log; when that has moved (archived meanwhile) or the job has finished, from the log as the trace read
     * serves it, which falls back from the live log to the archived copy at the same offset.
     */
    private byte[] read(JobId job, long offset, int length, LiveJobState state) {
        if (!state.status().isComplete()) {
            try (BlobContent live = traces.read(job, new ByteRange(offset, length))) {
                if (live.length() == length) {
                    byte[] bytes = live.stream().readNBytes(length);
                    if (bytes.length == length) {
                        return bytes;
                    }
                }
            } catch (RangeNotSatisfiableException | NotFoundException | UncheckedIOException | IOException moved) {
                // archived and removed meanwhile: read it where it is now
            }
        }
        Download log = readTrace.logOf(job);
        long available = log.size() - offset;
        if (available <= 0) {
            return new byte[0];
        }
        int size = (int) Math.min(length, available);
        try (BlobContent content = log.open(new ByteRange(offset, size))) {
            return content.stream().readNBytes(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        pool.close();
        signals.close();
    }

    // ------------------------------------------------------------------------------------------------ state

    /** The followers of one job and what is known of it. */
    private static final class Channel extends FollowerPool.Channel<JobId, Follower> {
        /** The longest length heard of: bytes up to here are committed. */
        final AtomicLong knownLength = new AtomicLong();
        volatile LiveJobState state;
        volatile boolean refreshState;
        volatile boolean heartbeatDue;

        Channel(JobId job, LiveJobState state) {
            super(job);
            this.state = state;
        }

        void grow(long length) {
            knownLength.accumulateAndGet(length, Math::max);
        }
    }

    private final class Follower extends FollowerPool.Follower<LiveLogEvent, Channel> implements LogFollow {
        /** Written by passes only (one at a time per channel); read by anyone. */
        volatile long offset;
        boolean catchingUp;
        JobStatus toldStatus;

        Follower(LiveLogSink sink, Runnable accessCheck, long offset, boolean catchingUp, Instant now) {
            super(sink, accessCheck, now);
            this.offset = offset;
            this.catchingUp = catchingUp;
        }

        @Override
        public void cancel() {
            pool.cancel(this);
        }

        @Override
        public void drained() {
            if (!done.get()) {
                pool.wake(channel);
            }
        }

        @Override
        public long offset() {
            return offset;
        }
    }
}
