package io.jobyard.bootstrap;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import org.slf4j.Logger;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The standalone HTTP server: Undertow with Jobyard's API mounted at the root and the operational routes under
 * {@code /-/}. Used by {@link Main} and by tests on port 0.
 *
 * <p>What a handler cannot do for itself is done here, with NGINX's guards in front of GitLab as the model
 * ({@link Limits}): a request's headers must arrive within the header timeout, an idle kept-alive connection (or one
 * that never sends a request) is closed after the keep-alive timeout, and beyond the connection cap new connections are
 * refused ({@link ConnectionCap}). Bodies are the API handler's own business (it reads small ones without blocking
 * and bounds the idle time of streamed ones). Undertow is assembled by hand, as {@code Undertow.start()} does it,
 * only so the cap can sit between the listening socket and the HTTP listener.
 */
public final class JobyardServer implements AutoCloseable {
    /** Buffers of 16 KiB less a TLS record's overhead, as Undertow's own builder picks them on a machine this size. */
    private static final int BUFFER_SIZE = 16 * 1024 - 20;
    private static final Duration WORKER_STOP_WAIT = Duration.ofSeconds(10);

    /**
     * What each connection is allowed.
     *
     * @param headerTimeout    the request line and headers must arrive within this once they have begun (NGINX's
     *                         {@code client_header_timeout}, 60 s)
     * @param keepAliveTimeout a connection without a request in progress — kept alive after one, or new and silent —
     *                         is closed after this (NGINX's {@code keepalive_timeout}, 75 s)
     * @param maxConnections   connections open at once; a new one beyond it is answered 503 and closed
     */
    public record Limits(Duration headerTimeout, Duration keepAliveTimeout, int maxConnections) {
        public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(60), 4096);

        public Limits {
            millis(headerTimeout, "header timeout");
            millis(keepAliveTimeout, "keep-alive timeout");
            if (maxConnections < 1) {
                throw new IllegalArgumentException("max connections must be positive");
            }
        }

        private static int millis(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.toMillis() < 1 || value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " must be from 1 ms to " + Integer.MAX_VALUE + " ms");
            }
            return (int) value.toMillis();
        }
    }

    private final String bindAddress;
    private final int requestedPort;
    private final HttpHandler api;
    private final Duration shutdownGrace;
    private final BooleanSupplier ready;
    private Logger accessLog = AccessLogHandler.ACCESS_LOG;
    private final HttpHandler metrics;
    private final Limits limits;
    private String metricsBind;
    private int metricsPort = -1;
    /** The metrics' own listener, when {@link #metricsListener} asked for one: a plain Undertow of its own. */
    private Undertow metricsServer;
    private GracefulShutdownHandler shutdown;
    private XnioWorker worker;
    private DefaultByteBufferPool buffers;
    private HttpOpenListener httpListener;
    private ConnectionCap connections;
    private AcceptingChannel<StreamConnection> listening;

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
        this(bindAddress, port, api, shutdownGrace, ready, metrics, Limits.DEFAULTS);
    }

    /** @param limits the header and keep-alive timeouts and the connection cap */
    public JobyardServer(String bindAddress, int port, HttpHandler api, Duration shutdownGrace, BooleanSupplier ready,
                         HttpHandler metrics, Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
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
        if (listening != null) {
            throw new IllegalStateException("already started");
        }
        if (metrics == null) {
            throw new IllegalStateException("no metrics to serve");
        }
        this.metricsBind = Objects.requireNonNull(bind, "bind");
        this.metricsPort = port;
        return this;
    }

    /**
     * Writes the access lines to {@code log} instead of {@code io.jobyard.access} (the warm-up's throwaway server, see
     * {@link RequestWarmup}). Call before {@link #start()}.
     */
    synchronized JobyardServer withAccessLog(Logger log) {
        accessLog = Objects.requireNonNull(log, "log");
        return this;
    }

    public synchronized JobyardServer start() {
        if (listening != null) {
            throw new IllegalStateException("already started");
        }
        PathHandler routes = new PathHandler(api)
                .addExactPath("/-/health", JobyardServer::health)
                .addExactPath("/-/readiness", new BlockingHandler(this::readiness));
        if (metrics != null && metricsBind == null) {
            routes.addExactPath("/-/metrics", metrics);
        }
        shutdown = new GracefulShutdownHandler(new AccessLogHandler(routes, accessLog));
        int ioThreads = Math.max(Runtime.getRuntime().availableProcessors(), 2);
        try {
            worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                    .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                    .set(Options.WORKER_TASK_CORE_THREADS, ioThreads * 8)
                    .set(Options.WORKER_TASK_MAX_THREADS, ioThreads * 8)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap());
            OptionMap socketOptions = OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .set(Options.BACKLOG, 1000)
                    .getMap();
            OptionMap serverOptions = OptionMap.builder()
                    .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                    // Paths are routed raw: the API decodes each segment itself, so %2F in a project path stays one
                    // segment (encoded slashes must stay undecoded: ALLOW_ENCODED_SLASH keeps its default, false).
                    .set(UndertowOptions.DECODE_URL, false)
                    .set(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                    .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) limits.headerTimeout().toMillis())
                    .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.keepAliveTimeout().toMillis())
                    .getMap();
            buffers = new DefaultByteBufferPool(true, BUFFER_SIZE, -1, 4);
            httpListener = new HttpOpenListener(buffers, serverOptions);
            httpListener.setRootHandler(shutdown);
            connections = new ConnectionCap(httpListener, limits.maxConnections());
            listening = worker.createStreamConnectionServer(
                    new InetSocketAddress(InetAddress.getByName(bindAddress), requestedPort),
                    ChannelListeners.openListenerAdapter(connections), socketOptions);
            listening.resumeAccepts();
            if (metricsBind != null) {
                metricsServer = Undertow.builder()
                        .addHttpListener(metricsPort, metricsBind,
                                new PathHandler(NotFoundHandler.INSTANCE).addExactPath("/-/metrics", metrics))
                        .build();
                metricsServer.start();
            }
        } catch (IOException | RuntimeException e) {
            stopTransport();
            throw e instanceof IOException io ? new UncheckedIOException(io.getMessage(), io) : (RuntimeException) e;
        }
        return this;
    }

    /** The bound port (useful when started on port 0). */
    public synchronized int port() {
        if (listening == null) {
            throw new IllegalStateException("not started");
        }
        return listening.getLocalAddress(InetSocketAddress.class).getPort();
    }

    /** Connections open right now. */
    public synchronized int openConnections() {
        return connections == null ? 0 : connections.open();
    }

    /** The bound port of the metrics' own listener, when it has one. */
    public synchronized java.util.OptionalInt metricsPort() {
        if (listening == null) {
            throw new IllegalStateException("not started");
        }
        return metricsServer == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(
                ((InetSocketAddress) metricsServer.getListenerInfo().get(0).getAddress()).getPort());
    }

    /** Stops accepting requests, lets in-flight ones finish within the grace period, then stops. */
    @Override
    public synchronized void close() {
        if (listening == null) {
            return;
        }
        shutdown.shutdown();
        try {
            shutdown.awaitShutdown(shutdownGrace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopTransport();
    }

    /** As {@code Undertow.stop()}: the listening socket, the connections, the threads, the buffers. */
    private void stopTransport() {
        IoUtils.safeClose(listening);
        listening = null;
        if (metricsServer != null) {
            metricsServer.stop();
            metricsServer = null;
        }
        if (httpListener != null) {
            httpListener.closeConnections();
            httpListener = null;
        }
        if (worker != null) {
            worker.shutdownNow();
            try {
                worker.awaitTermination(WORKER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
        if (buffers != null) {
            buffers.close();
            buffers = null;
        }
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
