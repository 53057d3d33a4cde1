package io.jobyard.adapter.http.endpoint;

import io.undertow.server.HttpServerExchange;

import java.io.InputStream;
import java.util.Objects;

/**
 * What an endpoint may read of a request beyond its parameters: its headers, and for a route that streams its body
 * ({@link Endpoint#streamsBody()}) the body itself, read on a worker thread in blocking mode with the idle timeout
 * watched. The exchange stays behind this view.
 */
public final class Incoming {
    private final HttpServerExchange exchange;
    private final boolean streamed;

    public Incoming(HttpServerExchange exchange, boolean streamed) {
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.streamed = streamed;
    }

    /** The first value of a request header, or null. */
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The body's announced length ({@code Content-Length}), or -1 when it is not announced. */
    public long declaredLength() {
        return exchange.getRequestContentLength();
    }

    /** The body as it arrives. */
    public InputStream body() {
        requireStreamed();
        return exchange.getInputStream();
    }

    /**
     * The body as it arrives, of which at most {@code maxEntityBytes} are read: a longer body (one whose length was not
     * announced) fails the read with an {@link java.io.IOException} at that point.
     */
    public InputStream body(long maxEntityBytes) {
        requireStreamed();
        exchange.setMaxEntitySize(maxEntityBytes);
        return exchange.getInputStream();
    }

    private void requireStreamed() {
        if (!streamed) {
            throw new IllegalStateException("the body of this route was read into its parameters");
        }
    }
}
