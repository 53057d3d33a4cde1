package io.jobyard.bootstrap;

import io.jobyard.application.port.in.event.HookPayload;
import io.jobyard.application.port.out.HookPayloadEncoder;
import io.jobyard.application.service.event.EventPayloads;
import io.jobyard.application.service.event.EventTailer;
import io.jobyard.domain.event.StatusEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * In-process events for an embedding host: {@code jobyard.events().subscribe(event -> ...)} hears every job and
 * pipeline status change once it is committed, from this instance and from every other one sharing the database
 * (one tailer per instance follows the event log, woken at once by local commits, else every
 * {@code pollInterval}).
 *
 * <p>A listener runs on a thread of its own, never on a request thread, and is fed through a bounded queue: a slow
 * listener cannot stall Jobyard or the other listeners. When its queue is full, {@link Overflow#DISCONNECT} (the
 * default) ends the subscription ({@link Subscription#closedReason} says why; a host that must not miss events
 * subscribes again and catches up from the event log), {@link Overflow#DROP} drops the event and counts it.
 */
public final class JobyardEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobyardEvents.class);
    /** The queue of a subscription made without naming one. */
    public static final int DEFAULT_CAPACITY = 10_000;
    /** How long an event id skipped by the tailer is waited for (its transaction may still commit). */
    private static final Duration HOLE_LIFETIME = Duration.ofMinutes(1);

    /** What happens to an event for a listener whose queue is full. */
    public enum Overflow {
        /** The subscription ends; the listener hears nothing more. */
        DISCONNECT,
        /** The event is dropped for this listener, and counted. */
        DROP
    }

    /** A listener's subscription; closing it stops its thread. */
    public interface Subscription extends AutoCloseable {
        boolean active();

        /** Events dropped because the queue was full ({@link Overflow#DROP}). */
        long dropped();

        /** Why the subscription ended, if it did. */
        Optional<String> closedReason();

        @Override
        void close();
    }

    private final Supplier<EventTailer> tailers;
    private final EventPayloads payloads;
    private final HookPayloadEncoder encoder;
    private final Duration pollInterval;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Object wake = new Object();
    private boolean woken;
    private Thread tailerThread;
    private volatile boolean closed;

    JobyardEvents(Supplier<EventTailer> tailers, EventPayloads payloads, HookPayloadEncoder encoder,
                  Duration pollInterval) {
        this.tailers = Objects.requireNonNull(tailers, "tailers");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** Subscribes with a queue of {@link #DEFAULT_CAPACITY} events, disconnected when it overflows. */
    public Subscription subscribe(Consumer<JobyardEvent> listener) {
        return subscribe(listener, DEFAULT_CAPACITY, Overflow.DISCONNECT);
    }

    /** Subscribes; events committed from now on are told to {@code listener}, in order per project. */
    public synchronized Subscription subscribe(Consumer<JobyardEvent> listener, int capacity, Overflow overflow) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(overflow, "overflow");
        if (closed) {
            throw new IllegalStateException("Jobyard is closed");
        }
        startTailer();
        Listener subscription = new Listener(listener, capacity, overflow);
        listeners.add(subscription);
        subscription.start();
        return subscription;
    }

    /** Called after each local commit of events: the tailer looks at once instead of at its next poll. */
    void committed(List<StatusEvent> events) {
        if (!events.isEmpty() && tailerThread != null) {
            synchronized (wake) {
                woken = true;
                wake.notifyAll();
            }
        }
    }

    private void startTailer() {
        if (tailerThread != null) {
            return;
        }
        EventTailer tailer = tailers.get();
        tailerThread = new Thread(() -> tail(tailer), "jobyard-event-tailer");
        tailerThread.setDaemon(true);
        tailerThread.start();
    }

    private void tail(EventTailer tailer) {
        while (!closed) {
            try {
                for (StatusEvent event : tailer.poll()) {
                    publish(event);
                }
            } catch (RuntimeException e) {
                LOG.warn("Reading the event log failed; trying again", e);
            }
            synchronized (wake) {
                if (!woken && !closed) {
                    try {
                        wake.wait(Math.max(1, pollInterval.toMillis()));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    private void publish(StatusEvent event) {
        if (listeners.isEmpty()) {
            return;
        }
        Optional<HookPayload> payload = payloads.payload(event);
        if (payload.isEmpty()) {
            return;
        }
        JobyardEvent told = new JobyardEvent(event, payload.get(), encoder.encode(payload.get()));
        for (Listener listener : listeners) {
            listener.offer(told);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        listeners.forEach(listener -> listener.end("Jobyard closed"));
        if (tailerThread != null) {
            tailerThread.interrupt();
        }
    }

    private final class Listener implements Subscription {
        private final Consumer<JobyardEvent> consumer;
        private final BlockingQueue<JobyardEvent> queue;
        private final Overflow overflow;
        private final int capacity;
        private final AtomicLong dropped = new AtomicLong();
        private volatile String closedReason;
        private Thread thread;

        Listener(Consumer<JobyardEvent> consumer, int capacity, Overflow overflow) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be positive");
            }
            this.consumer = consumer;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.overflow = overflow;
            this.capacity = capacity;
        }

        void start() {
            thread = new Thread(this::run, "jobyard-event-listener");
            thread.setDaemon(true);
            thread.start();
        }

        void offer(JobyardEvent event) {
            if (closedReason != null || queue.offer(event)) {
                return;
            }
            if (overflow == Overflow.DROP) {
                dropped.incrementAndGet();
            } else {
                end("the listener fell " + capacity + " events behind");
            }
        }

        private void run() {
            while (closedReason == null) {
                try {
                    JobyardEvent event = queue.poll(1, TimeUnit.SECONDS);
                    if (event != null && closedReason == null) {
                        consumer.accept(event);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("An event listener failed on an event; it goes on with the next", e);
                }
            }
        }

        void end(String reason) {
            if (closedReason == null) {
                closedReason = reason;
                listeners.remove(this);
                queue.clear();
                if (thread != null && thread != Thread.currentThread()) {
                    thread.interrupt();
                }
            }
        }

        @Override
        public boolean active() {
            return closedReason == null;
        }

        @Override
        public long dropped() {
            return dropped.get();
        }

        @Override
        public Optional<String> closedReason() {
            return Optional.ofNullable(closedReason);
        }

        @Override
        public void close() {
            end("closed by the subscriber");
        }
    }
}
