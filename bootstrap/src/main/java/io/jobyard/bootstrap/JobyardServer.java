package io.jobyard.bootstrap;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The standalone HTTP server: Undertow with Jobyard's API mounted at the root and the operational routes under
 * {@code /-/}. Used by {@link Main} and by tests on port 0.
 */
public final class JobyardServer implements AutoCloseable {
    private final String bindAddress;
    private final int requestedPort;
    private final HttpHandler api;
    private final Duration shutdownGrace;
    private final BooleanSupplier ready;
    private final HttpHandler metrics;
    private String metricsBind;
    private int metricsPort = -1;
    private GracefulShutdownHandler shutdown;
    private Undertow undertow;

    /**
     * @param api           the handler for everything but {@code /-/} (Jobyard's GitLab API)
     * @param shutdownGrace how long in-flight requests may take to finish on stop
     */
    public JobyardServer(String bindAddress, int port, HttpHandler api, Duration shutdownGrace) {
        this(bindAddress, port, api, shutdownGrace, () -> true);
    }

    /** @param ready whether the database and storage answer; {@code /-/readiness} reports it */
    public JobyardServer(String bindAddress, int port, HttpHandler api, Duration shutdownGrace, BooleanSupplier ready) {
        this(bindAddress, port, api, shutdownGrace, ready, null);
    }

    /** @param metrics serves {@code /-/metrics}; null leaves that path to the API's catch-all */
    public JobyardServer(String bindAddress, int port, HttpHandler api, Duration shutdownGrace, BooleanSupplier ready,
                         HttpHandler metrics) {
        this.metrics = metrics;
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.requestedPort = port;
        this.api = Objects.requireNonNull(api, "api");
        this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        this.ready = Objects.requireNonNull(ready, "ready");
    }

    /**
     * Serves {@code /-/metrics} on a listener of its own ({@code bind}:{@code port}, 0 picks a free port) instead of the
     * API's, so the metrics can stay on loopback or a monitoring network while the API is public. Call before
     * {@link #start()}.
     */
    public synchronized JobyardServer metricsListener(String bind, int port) {
        if (undertow != null) {
            throw new IllegalStateException("already started");
        }
        if (metrics == null) {
            throw new IllegalStateException("no metrics to serve");
        }
        this.metricsBind = Objects.requireNonNull(bind, "bind");
        this.metricsPort = port;
        return this;
    }

    public synchronized JobyardServer start() {
        if (undertow != null) {
            throw new IllegalStateException("already started");
        }
        PathHandler routes = new PathHandler(api)
                .addExactPath("/-/health", JobyardServer::health)
                .addExactPath("/-/readiness", new BlockingHandler(this::readiness));
        if (metrics != null && metricsBind == null) {
            routes.addExactPath("/-/metrics", metrics);
        }
        shutdown = new GracefulShutdownHandler(new AccessLogHandler(routes));
        Undertow.Builder builder = Undertow.builder();
        if (metricsBind != null) {
            builder.addHttpListener(metricsPort, metricsBind,
                    new PathHandler(NotFoundHandler.INSTANCE).addExactPath("/-/metrics", metrics));
        }
        undertow = builder
                .addHttpListener(requestedPort, bindAddress)
                // Paths are routed raw: the API decodes each segment itself, so %2F in a project path stays one segment
                // (encoded slashes must stay undecoded: ALLOW_ENCODED_SLASH keeps its default, false).
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                .setHandler(shutdown)
                .build();
        undertow.start();
        return this;
    }

    /** The bound port (useful when started on port 0). */
    public synchronized int port() {
        if (undertow == null) {
            throw new IllegalStateException("not started");
        }
        return ((InetSocketAddress) undertow.getListenerInfo().get(metricsBind == null ? 0 : 1).getAddress())
                .getPort();
    }

    /** The bound port of the metrics' own listener, when it has one. */
    public synchronized java.util.OptionalInt metricsPort() {
        if (undertow == null) {
            throw new IllegalStateException("not started");
        }
        return metricsBind == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(
                ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort());
    }

    /** Stops accepting requests, lets in-flight ones finish within the grace period, then stops. */
    @Override
    public synchronized void close() {
        if (undertow == null) {
            return;
        }
        shutdown.shutdown();
        try {
            shutdown.awaitShutdown(shutdownGrace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
        undertow = null;
    }

    private void readiness(io.undertow.server.HttpServerExchange exchange) {
        boolean ok;
        try {
            ok = ready.getAsBoolean();
        } catch (RuntimeException e) {
            ok = false;
        }
        exchange.setStatusCode(ok ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ok ? "{\"status\":\"ok\"}" : "{\"status\":\"failed\"}");
    }

    private static void health(io.undertow.server.HttpServerExchange exchange) {
        exchange.setStatusCode(StatusCodes.OK);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send("{\"status\":\"ok\"}");
    }
}
