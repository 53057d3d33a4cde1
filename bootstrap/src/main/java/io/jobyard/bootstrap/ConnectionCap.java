package io.jobyard.bootstrap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the open connections and refuses a new one beyond the cap, as NGINX does when its
 * {@code worker_connections} run out: the connection is accepted, answered {@code 503} if the socket takes it at once,
 * and closed. File descriptors therefore stay bounded and a flood of connections costs the flood, never the process.
 * Sits between the listening socket and Undertow's HTTP open listener.
 */
final class ConnectionCap implements ChannelListener<StreamConnection> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
    private static final byte[] REFUSAL = refusal();
    /** At most one log line about refusals per this many nanoseconds: a flood must not flood the log too. */
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final ChannelListener<StreamConnection> next;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    ConnectionCap(ChannelListener<StreamConnection> next, int max) {
        this.next = next;
        if (max < 1) {
            throw new IllegalArgumentException("max connections must be positive");
        }
        this.max = max;
    }

    @Override
    public void handleEvent(StreamConnection connection) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refuse(connection);
            return;
        }
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable release = () -> {
            if (counted.compareAndSet(true, false)) {
                open.decrementAndGet();
            }
        };
        try {
            next.handleEvent(connection);
        } finally {
            // Undertow's connection sets its own close listener when it is created: ours goes in front of it.
            ChannelListener<? super StreamConnection> theirs = connection.getCloseListener();
            connection.setCloseListener(closed -> {
                release.run();
                ChannelListeners.invokeChannelListener(closed, theirs);
            });
            if (!connection.isOpen()) {
                release.run();
            }
        }
    }

    /** Connections open now (accepted and not yet closed). */
    int open() {
        return open.get();
    }

    /** Connections refused since start. */
    long refused() {
        return refused.get();
    }

    private void refuse(StreamConnection connection) {
        long count = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            LOG.warn("{} open connections, the limit (JOBYARD_MAX_CONNECTIONS): refusing new connections with 503"
                    + " ({} refused since start)", max, count);
        }
        try {
            // One non-blocking write into a fresh socket's empty buffer: it fits, or the client gets the close alone.
            connection.getSinkChannel().write(ByteBuffer.wrap(REFUSAL));
            connection.getSinkChannel().flush();
        } catch (IOException ignored) {
            // the close below is the refusal then
        }
        IoUtils.safeClose(connection);
    }

    private static byte[] refusal() {
        String body = "{\"message\":\"503 Service Unavailable\"}";
        return ("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }
}
