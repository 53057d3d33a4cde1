package io.jobyard.adapter.http.params;

import io.undertow.io.Receiver;
import io.undertow.io.Sender;
import io.undertow.server.BlockingHttpExchange;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.channels.ReadTimeoutException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Blocking mode with Undertow's own streams, except that a request body read in blocking mode — a streamed log
 * append or artifact upload, or whatever a host's fallback handler reads — is watched:
 * <ul>
 *   <li>each read waits at most the idle timeout for the next bytes (Undertow's blocking stream honours the
 *       connection's {@code READ_TIMEOUT}, set for this request and restored when it ends), so a client that stops
 *       sending holds a worker for that long, not forever;</li>
 *   <li>a read that fails records why ({@link BodyFailure#TIMED_OUT}, or {@link BodyFailure#CLIENT_GONE} when the
 *       client closed or reset the connection), whatever exception the endpoint, parser or store turns it into.</li>
 * </ul>
 * An oversized body ({@link RequestTooBigException}) is left to the endpoint's own 413.
 */
public final class WatchedBlockingExchange implements BlockingHttpExchange {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedBlockingExchange.class);

    private final HttpServerExchange exchange;
    private final int idleMillis;
    private BlockingHttpExchange standard;
    private InputStream input;

    private WatchedBlockingExchange(HttpServerExchange exchange, Duration idleTimeout) {
        this.exchange = exchange;
        this.idleMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, idleTimeout.toMillis()));
    }

    /** Puts the exchange in blocking mode (it must not be yet) with its request body watched. */
    public static void install(HttpServerExchange exchange, Duration idleTimeout) {
        exchange.startBlocking();
        WatchedBlockingExchange watched = new WatchedBlockingExchange(exchange, idleTimeout);
        watched.standard = exchange.startBlocking(watched);
    }

    @Override
    public InputStream getInputStream() {
        if (input == null) {
            // Before Undertow's stream exists: it reads the timeout once, when it is created.
            limitIdleReads();
            input = new Watched(standard.getInputStream());
            if (HttpContinue.requiresContinueResponse(exchange)) {
                // Reading the body means it is wanted (an upload that passed its authorization): a client waiting
                // for 100 Continue (curl above 1 KiB) gets it now instead of sending after its own delay.
                try {
                    HttpContinue.sendContinueResponseBlocking(exchange);
                } catch (IOException e) {
                    BodyFailure.CLIENT_GONE.mark(exchange);
                    LOG.debug("100 Continue could not be sent", e);
                }
            }
        }
        return input;
    }

    @Override
    public OutputStream getOutputStream() {
        return standard.getOutputStream();
    }

    @Override
    public Sender getSender() {
        return standard.getSender();
    }

    @Override
    public Receiver getReceiver() {
        return standard.getReceiver();
    }

    /**
     * Undertow's close reads what is left of an unread body before the connection is reused; that read is bounded by
     * the idle timeout too. A body the client was never asked for ({@code Expect: 100-continue} refused before the
     * 100) will not come: the connection is closed instead of waited on.
     */
    @Override
    public void close() throws IOException {
        if (!exchange.isRequestComplete()) {
            boolean neverAsked = "100-continue".equalsIgnoreCase(exchange.getRequestHeaders().getFirst(Headers.EXPECT))
                    && !HttpContinue.isContinueResponseSent(exchange);
            if (neverAsked) {
                exchange.setPersistent(false);
            } else if (input == null && exchange.isRequestChannelAvailable()) {
                limitIdleReads();
                input = new Watched(standard.getInputStream());
            }
        }
        standard.close();
    }

    /** The connection's read timeout for this request: ours, or the host's own when that is stricter. */
    private void limitIdleReads() {
        ServerConnection connection = exchange.getConnection();
        try {
            Integer previous = connection.getOption(Options.READ_TIMEOUT);
            int limit = previous != null && previous > 0 ? Math.min(previous, idleMillis) : idleMillis;
            connection.setOption(Options.READ_TIMEOUT, limit);
            int restore = previous == null ? 0 : previous;
            // The next request on a kept-alive connection (a held long poll, say) is not this body's to limit.
            exchange.addExchangeCompleteListener((done, next) -> {
                try {
                    if (connection.isOpen()) {
                        connection.setOption(Options.READ_TIMEOUT, restore);
                    }
                } catch (IOException | IllegalArgumentException ignored) {
                    LOG.debug("could not restore the connection's read timeout", ignored);
                } finally {
                    next.proceed();
                }
            });
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException unsupported) {
            LOG.debug("the connection takes no read timeout; body reads are not limited", unsupported);
        }
    }

    private final class Watched extends FilterInputStream {
        Watched(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw recorded(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw recorded(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                throw recorded(e);
            }
        }

        private IOException recorded(IOException failure) {
            if (!(failure instanceof RequestTooBigException)) {
                (timedOut(failure) ? BodyFailure.TIMED_OUT : BodyFailure.CLIENT_GONE).mark(exchange);
            }
            return failure;
        }
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ReadTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
