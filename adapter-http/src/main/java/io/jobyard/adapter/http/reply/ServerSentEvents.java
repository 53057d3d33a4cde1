package io.jobyard.adapter.http.reply;

import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * An open-ended {@code text/event-stream} reply: whoever produces the events ({@link #send}) queues them from any
 * thread without blocking, and they are written on the connection's IO thread with non-blocking writes, the way
 * Undertow's own {@code ServerSentEventConnection} works. No thread waits for a slow client: what it has not taken
 * stays queued and is counted ({@link #pendingBytes()}), and the producer decides when that is too much and cuts the
 * client off ({@link #cutOff()}). A client that goes away (a write fails, the connection closes) runs
 * {@link #onGone} once; a producer that is done ends the reply after the queue is written ({@link #finish()}).
 *
 * <p>Created by an endpoint before it starts producing (so that its use case can refuse first, with an ordinary
 * error reply), returned in {@link Reply.EventStream}, and attached to the exchange by {@link ReplyWriter}; events sent
 * before that wait in the queue.
 */
public final class ServerSentEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSentEvents.class);
    private static final Pattern LINE_END = Pattern.compile("\r\n|\r|\n");
    private static final ByteBuffer[] NONE = new ByteBuffer[0];

    private final ConcurrentLinkedQueue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile boolean finishing;
    private volatile Runnable onGone = () -> { };
    private volatile Runnable onDrained = () -> { };
    private volatile HttpServerExchange exchange;
    private volatile StreamSinkChannel channel;
    private volatile XnioIoThread io;

    /** Runs once when the client went away or was cut off (never after {@link #finish()} completed normally). */
    public ServerSentEvents onGone(Runnable action) {
        this.onGone = Objects.requireNonNull(action, "action");
        return this;
    }

    /** Runs on the IO thread each time everything queued has been written. Must not block. */
    public ServerSentEvents onDrained(Runnable action) {
        this.onDrained = Objects.requireNonNull(action, "action");
        return this;
    }

    // ------------------------------------------------------------------------------------------ the producer

    /**
     * Queues one event without blocking. {@code data} is split at line ends into {@code data:} lines (so it reaches
     * the client as sent, with {@code \n} between lines); {@code event} and {@code id} are left out when null.
     *
     * @return the bytes queued and not yet written to the client, this event's included
     */
    public long send(String event, String id, String data) {
        return send(frame(event, id, data));
    }

    /**
     * Queues an event formatted once by {@link #frame} for many streams (the same log append for every follower):
     * the buffer is shared, each stream writes from its own view of it.
     */
    public long send(ByteBuffer frame) {
        return enqueue(frame.asReadOnlyBuffer());
    }

    /** One event in the wire format ({@link #send(String, String, String)} says how). */
    public static ByteBuffer frame(String event, String id, String data) {
        StringBuilder text = new StringBuilder(32 + (data == null ? 0 : data.length()));
        if (event != null) {
            text.append("event: ").append(singleLine(event)).append('\n');
        }
        if (id != null) {
            text.append("id: ").append(singleLine(id)).append('\n');
        }
        if (data != null) {
            for (String line : LINE_END.split(data, -1)) {
                text.append("data: ").append(line).append('\n');
            }
        }
        text.append('\n');
        return StandardCharsets.UTF_8.encode(text.toString());
    }

    /** Queues a comment line ({@code : text}), which clients ignore: a heartbeat. */
    public long comment(String text) {
        return enqueue(StandardCharsets.UTF_8.encode(": " + singleLine(text) + "\n\n"));
    }

    /** The bytes queued and not yet written to the client. */
    public long pendingBytes() {
        return pending.get();
    }

    /** Whether the stream has ended (finished, cut off, or the client went away). */
    public boolean isOver() {
        return over.get();
    }

    /** Writes what is queued, then ends the reply. Idempotent. */
    public void finish() {
        finishing = true;
        schedule();
    }

    /**
     * Ends the reply now, dropping what is queued, and closes the connection: a half-written event is discarded by
     * the client, which resumes from the last whole one.
     */
    public void cutOff() {
        gone(null);
    }

    private long enqueue(ByteBuffer bytes) {
        if (over.get() || finishing) {
            return pending.get();
        }
        long now = pending.addAndGet(bytes.remaining());
        queue.add(bytes);
        schedule();
        return now;
    }

    private static String singleLine(String value) {
        return LINE_END.matcher(value).replaceAll(" ");
    }

    // ------------------------------------------------------------------------------------ the connection

    /**
     * Takes over the exchange's response, whose status and headers are set: from now on it is written on its IO
     * thread. Called by {@link ReplyWriter} from the exchange's dispatch to that thread.
     */
    void attach(HttpServerExchange exchange) {
        this.exchange = exchange;
        this.io = exchange.getIoThread();
        exchange.getConnection().addCloseListener(connection -> gone(null));
        StreamSinkChannel sink = exchange.getResponseChannel();
        sink.getWriteSetter().set(ignored -> flush());
        this.channel = sink;
        if (over.get()) {
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        // The headers go out now, before the first event: a client knows at once that it is following.
        schedule();
    }

    private void schedule() {
        XnioIoThread thread = io;
        if (thread == null || !flushScheduled.compareAndSet(false, true)) {
            return;
        }
        thread.execute(() -> {
            flushScheduled.set(false);
            flush();
        });
    }

    /** On the IO thread: writes as much as the socket takes, and waits to be writable for the rest. */
    private void flush() {
        StreamSinkChannel sink = channel;
        if (sink == null || over.get()) {
            return;
        }
        try {
            ByteBuffer[] batch = queue.toArray(NONE);
            if (batch.length > 0) {
                long written = sink.write(batch);
                pending.addAndGet(-written);
                for (ByteBuffer buffer : batch) {
                    if (buffer.hasRemaining()) {
                        sink.resumeWrites();
                        return;
                    }
                    queue.poll();
                }
            }
            if (!sink.flush()) {
                sink.resumeWrites();
                return;
            }
            if (!queue.isEmpty()) {
                schedule();
                return;
            }
            sink.suspendWrites();
            if (finishing) {
                end(sink);
                return;
            }
            onDrained.run();
        } catch (IOException | RuntimeException failed) {
            LOG.debug("event stream write failed; the client is gone", failed);
            gone(failed);
        }
    }

    private void end(StreamSinkChannel sink) throws IOException {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        sink.shutdownWrites();
        if (!sink.flush()) {
            sink.getWriteSetter().set(ignored -> {
                try {
                    if (sink.flush()) {
                        sink.suspendWrites();
                        exchange.endExchange();
                    }
                } catch (IOException e) {
                    IoUtils.safeClose(exchange.getConnection());
                }
            });
            sink.resumeWrites();
            return;
        }
        exchange.endExchange();
    }

    private void gone(Throwable cause) {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        queue.clear();
        pending.set(0);
        HttpServerExchange current = exchange;
        if (current != null) {
            IoUtils.safeClose(current.getConnection());
        }
        try {
            onGone.run();
        } catch (RuntimeException e) {
            LOG.debug("the event stream's producer failed to stop", e);
        }
    }
}
