package io.jobyard.application.service.live;

import io.jobyard.application.port.in.live.FollowEnd;
import io.jobyard.application.port.in.live.LiveLogEvent;
import io.jobyard.application.port.in.live.LiveLogSink;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A follower as the HTTP layer will be one: it records every event, checks that the bytes it gets are contiguous
 * (each part starts where the last ended: nothing skipped, nothing twice), and reports as pending what it was offered
 * and has not "written" — nothing when it drains by itself, everything until {@link #drain()} when it does not.
 */
final class RecordingSink implements LiveLogSink {
    final List<LiveLogEvent> events = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final AtomicInteger concurrentCalls = new AtomicInteger();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicInteger closedTimes = new AtomicInteger();
    private volatile boolean drainsItself;
    private volatile long expectedOffset;
    private volatile FollowEnd closed;

    RecordingSink(long fromOffset, boolean drainsItself) {
        this.expectedOffset = fromOffset;
        this.drainsItself = drainsItself;
    }

    static RecordingSink from(long offset) {
        return new RecordingSink(offset, true);
    }

    static RecordingSink stalled(long offset) {
        return new RecordingSink(offset, false);
    }

    @Override
    public long offer(LiveLogEvent event) {
        if (concurrentCalls.incrementAndGet() != 1) {
            violations.add("two calls at once");
        }
        try {
            if (closed != null) {
                violations.add("offered " + event + " after closed(" + closed + ")");
            }
            events.add(event);
            long size = 16;
            if (event instanceof LiveLogEvent.Bytes part) {
                if (part.start() != expectedOffset) {
                    violations.add("part at " + part.start() + ", expected " + expectedOffset);
                }
                expectedOffset = part.end();
                synchronized (bytes) {
                    bytes.writeBytes(part.data());
                }
                size = part.data().length;
            }
            return drainsItself ? 0 : pending.addAndGet(size);
        } finally {
            concurrentCalls.decrementAndGet();
        }
    }

    @Override
    public long pendingBytes() {
        return drainsItself ? 0 : pending.get();
    }

    @Override
    public void closed(FollowEnd reason) {
        if (closedTimes.incrementAndGet() > 1) {
            violations.add("closed twice");
        }
        closed = reason;
    }

    /** The client took everything; from now on it keeps up. */
    void drain() {
        drainsItself = true;
        pending.set(0);
    }

    /** The client took what was queued, and keeps stalling from here. */
    void drainOnce() {
        pending.set(0);
    }

    byte[] bytes() {
        synchronized (bytes) {
            return bytes.toByteArray();
        }
    }

    FollowEnd closedReason() {
        return closed;
    }

    <T extends LiveLogEvent> List<T> eventsOf(Class<T> type) {
        List<T> found = new ArrayList<>();
        for (LiveLogEvent event : events) {
            if (type.isInstance(event)) {
                found.add(type.cast(event));
            }
        }
        return found;
    }

    /** The events without the bytes: statuses, heartbeats and the end, in order. */
    List<LiveLogEvent> signals() {
        return events.stream().filter(e -> !(e instanceof LiveLogEvent.Bytes)).toList();
    }
}
