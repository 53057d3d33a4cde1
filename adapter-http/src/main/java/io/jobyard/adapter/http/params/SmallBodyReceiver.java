package io.jobyard.adapter.http.params;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.AttachmentKey;
import org.xnio.XnioExecutor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads a small request body (a form, JSON: everything but a log append or an artifact upload) on the IO thread,
 * before any worker thread is involved, then hands the exchange on. A client that sends its body slowly, or never,
 * costs a connection and the bytes it did send — never a worker thread, so sixteen such clients cannot starve the API
 * (issue 13: a blocking read on the worker held one thread per slow client).
 *
 * <p>Bounded three ways: a declared {@code Content-Length} above the limit is refused before a byte is read, a
 * chunked body is cut as soon as it passes the limit ({@link BodyFailure#TOO_LARGE}); the whole body must arrive
 * within the body timeout ({@link BodyFailure#TIMED_OUT}); a client that closes the connection first is recorded as
 * gone ({@link BodyFailure#CLIENT_GONE}). And all bodies together hold at most the {@link BodyBuffers} budget
 * ({@link BodyFailure#BUSY} for one that would pass it). Either way {@code then} runs exactly once, on the IO thread, with the bytes
 * or the failure attached to the exchange.
 */
public final class SmallBodyReceiver {
    private static final AttachmentKey<byte[]> RECEIVED = AttachmentKey.create(byte[].class);
    /** Grows with what actually arrives: a declared length alone reserves no memory. */
    private static final int INITIAL_BUFFER = 1024;

    private SmallBodyReceiver() {
    }

    /** Whether a body follows the headers: a {@code Content-Length} above 0 or a chunked body. */
    public static boolean hasBody(HttpServerExchange exchange) {
        return !exchange.isRequestComplete() && exchange.getRequestContentLength() != 0;
    }

    /** The body read by {@link #receive}, when it was. */
    public static Optional<byte[]> received(HttpServerExchange exchange) {
        return Optional.ofNullable(exchange.getAttachment(RECEIVED));
    }

    /**
     * Reads the body without blocking; must be called on the exchange's IO thread.
     *
     * @param then runs once the body is complete or has failed (see {@link BodyFailure#of})
     */
    public static void receive(HttpServerExchange exchange, long maxBytes, Duration timeout, BodyBuffers buffers,
                               Runnable then) {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            BodyFailure.TOO_LARGE.mark(exchange);
            then.run();
            return;
        }
        Reception reception = new Reception(exchange, maxBytes, buffers, then);
        if (!HttpContinue.requiresContinueResponse(exchange)) {
            reception.start(timeout);
            return;
        }
        // The client waits for a 100 before it sends the body (curl does above 1 KiB); it is wanted, so say so.
        HttpContinue.sendContinueResponse(exchange, new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange ex, Sender sender) {
                reception.start(timeout);
            }

            @Override
            public void onException(HttpServerExchange ex, Sender sender, IOException failure) {
                BodyFailure.CLIENT_GONE.mark(ex);
                then.run();
            }
        });
    }

    /** One body being received; every callback runs on the exchange's IO thread, so no state needs a lock. */
    private static final class Reception {
        private final HttpServerExchange exchange;
        private final long maxBytes;
        private final BodyBuffers buffers;
        private final Runnable then;
        private final ByteArrayOutputStream body;
        /** What this body holds of the budget: what has arrived. */
        private long held;
        private XnioExecutor.Key timer;
        private boolean finished;

        Reception(HttpServerExchange exchange, long maxBytes, BodyBuffers buffers, Runnable then) {
            this.exchange = exchange;
            this.maxBytes = maxBytes;
            this.buffers = buffers;
            this.then = then;
            long declared = exchange.getRequestContentLength();
            this.body = new ByteArrayOutputStream(declared > 0 ? (int) Math.min(declared, INITIAL_BUFFER)
                    : INITIAL_BUFFER);
        }

        void start(Duration timeout) {
            timer = exchange.getIoThread().executeAfter(() -> fail(BodyFailure.TIMED_OUT), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            // Undertow's own entity limit would otherwise cut the larger bodies some routes take (configurations).
            exchange.setMaxEntitySize(maxBytes + 1);
            exchange.getRequestReceiver().receivePartialBytes((ex, bytes, last) -> {
                if (finished) {
                    return;
                }
                if (body.size() + (long) bytes.length > maxBytes) {
                    fail(BodyFailure.TOO_LARGE);
                    return;
                }
                if (!buffers.tryHold(bytes.length)) {
                    fail(BodyFailure.BUSY);
                    return;
                }
                held += bytes.length;
                body.write(bytes, 0, bytes.length);
                if (last) {
                    byte[] received = body.toByteArray();
                    finish();
                    exchange.putAttachment(RECEIVED, received);
                    then.run();
                }
            }, (ex, error) -> fail(error instanceof RequestTooBigException ? BodyFailure.TOO_LARGE
                    : BodyFailure.CLIENT_GONE));
        }

        private void fail(BodyFailure failure) {
            if (finished) {
                return;
            }
            finish();
            failure.mark(exchange);
            if (failure != BodyFailure.CLIENT_GONE) {
                // Whatever else arrives is not read: the answer closes the connection.
                exchange.getRequestReceiver().pause();
            }
            then.run();
        }

        private void finish() {
            finished = true;
            buffers.release(held);
            held = 0;
            if (timer != null) {
                timer.remove();
            }
        }
    }
}
