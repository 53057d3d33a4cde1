package io.jobyard.adapter.http;

import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.auth.Credentials;
import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.Incoming;
import io.jobyard.adapter.http.params.BodyBuffers;
import io.jobyard.adapter.http.params.BodyFailure;
import io.jobyard.adapter.http.params.BodyReader;
import io.jobyard.adapter.http.params.FormEncoding;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.params.SmallBodyReceiver;
import io.jobyard.adapter.http.params.WatchedBlockingExchange;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.adapter.http.reply.ErrorMapper;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.adapter.http.reply.ReplyWriter;
import io.jobyard.adapter.http.routing.RawPath;
import io.jobyard.adapter.http.routing.RouteTemplate;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.adapter.http.throttle.FailedAuthenticationGuard;
import io.jobyard.adapter.http.web.WebErrors;
import io.jobyard.application.port.in.auth.AccessChecks;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.JobyardException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one request pipeline, for every route of the {@link Routes} table. First the failed-authentication throttle
 * turns away a banned client address, when there is one ({@link FailedAuthenticationGuard}). On the IO thread the
 * pipeline then routes the request and
 * reads a small body (everything but the routes that stream theirs) without blocking — a slow or silent client holds a
 * connection, never a worker thread (see {@link SmallBodyReceiver}) — then dispatches itself to a worker and serves in
 * blocking mode, with any body read in blocking mode watched for idleness and disconnects
 * ({@link WatchedBlockingExchange}). On the worker, in Grape's order: body (400/413) → authentication by the route's
 * rule (401/403) → endpoint → reply. Unknown paths go to the host's fallback, or get {@code 404
 * {"error":"404 Not Found"}} without one; a known path with another method is authenticated by its route's rule (as
 * Grape runs the neighbouring route's {@code before} filters) and then gets {@code 204} for OPTIONS and
 * {@code 405 {"error":"405 Not Allowed"}} otherwise, both with {@code Allow}. Every refusal or failure on the way is
 * answered through the one {@link ErrorMapper}; a refusal of a token that matched nothing is reported to the
 * failed-authentication throttle first, which may answer it instead.
 */
final class ApiPipeline implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiPipeline.class);
    private static final HttpString X_FRAME_OPTIONS = HttpString.tryFromString("X-Frame-Options");
    private static final HttpString X_CONTENT_TYPE_OPTIONS = HttpString.tryFromString("X-Content-Type-Options");

    private final Router<ApiRoute> router;
    private final Authenticator authenticator;
    private final HttpSettings settings;
    private final BodyBuffers bodyBuffers;
    private final AtomicLong lastBusyWarning = new AtomicLong();
    private final Clock clock;
    private final HttpHandler fallback;
    /** Null when the failed-authentication throttle is off. */
    private final FailedAuthenticationGuard guard;
    /** Null without web pages. */
    private final WebErrors webErrors;
    private final AccessChecks accessChecks;
    private final ErrorMapper errors = new ErrorMapper();
    private final ReplyWriter writer = new ReplyWriter();
    /** This pipeline's routing of the exchange, done once on the IO thread and reused on the worker. */
    @SuppressWarnings("rawtypes")
    private final AttachmentKey<Router.Resolution> resolved = AttachmentKey.create(Router.Resolution.class);

    /**
     * @param fallback serves paths no route has (on a worker thread, in blocking mode); null answers them 404
     * @param guard    the failed-authentication throttle, or null for none
     */
    ApiPipeline(Router<ApiRoute> router, Authenticator authenticator, HttpSettings settings, Clock clock,
                HttpHandler fallback, FailedAuthenticationGuard guard, WebErrors webErrors, AccessChecks accessChecks) {
        this.router = Objects.requireNonNull(router, "router");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.bodyBuffers = new BodyBuffers(settings.bodyBufferBytes());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.fallback = fallback;
        this.guard = guard;
        this.webErrors = webErrors;
        this.accessChecks = Objects.requireNonNull(accessChecks, "accessChecks");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (guard != null && !guard.admit(exchange)) {
            return;
        }
        if (exchange.isInIoThread()) {
            onIoThread(exchange);
            return;
        }
        if (!exchange.isBlocking()) {
            WatchedBlockingExchange.install(exchange, settings.bodyIdleTimeout());
        }
        securityHeaders(exchange.getResponseHeaders());
        ReplyWriter.Handling handling = ReplyWriter.handling(exchange);
        try {
            serve(exchange);
        } catch (Throwable failure) {
            fail(exchange, failure);
        } finally {
            handling.close();
        }
    }

    /**
     * Routing is pure computation, so it runs here; then the small body is read without blocking before the
     * dispatch, or (a streamed body, a bodyless request, the host's fallback) the request is dispatched as it is.
     */
    private void onIoThread(HttpServerExchange exchange) {
        Router.Resolution<ApiRoute> resolution = resolution(exchange);
        long bodyLimit = settings.maxBodyBytes();
        if (resolution instanceof Router.Unmatched<ApiRoute> && fallback != null) {
            exchange.dispatch(this);
            return;
        }
        if (resolution instanceof Router.Matched<ApiRoute> matched) {
            // Recorded now, so a request whose body never arrives is still counted under its route.
            RouteTemplate.record(exchange, matched.route().pattern().template());
            Endpoint endpoint = matched.route().target().endpoint();
            if (endpoint.streamsBody()) {
                exchange.dispatch(this);
                return;
            }
            bodyLimit = endpoint.maxBodyBytes(settings);
        }
        if (SmallBodyReceiver.hasBody(exchange)) {
            SmallBodyReceiver.receive(exchange, bodyLimit, settings.bodyTimeout(), bodyBuffers,
                    () -> exchange.dispatch(this));
            return;
        }
        exchange.dispatch(this);
    }

    @SuppressWarnings("unchecked")
    private Router.Resolution<ApiRoute> resolution(HttpServerExchange exchange) {
        Router.Resolution<ApiRoute> known = exchange.getAttachment(resolved);
        if (known == null) {
            known = router.resolve(exchange.getRequestMethod().toString(), RawPath.relativeTo(exchange));
            exchange.putAttachment(resolved, known);
        }
        return known;
    }

    private void serve(HttpServerExchange exchange) throws Exception {
        String method = exchange.getRequestMethod().toString();
        Router.Resolution<ApiRoute> resolution = resolution(exchange);
        if (resolution instanceof Router.Unmatched<ApiRoute>) {
            if (fallback == null) {
                throw ApiError.error(404, "404 Not Found");
            }
            fallback.handleRequest(exchange);
        } else if (resolution instanceof Router.WrongMethod<ApiRoute> wrong) {
            RouteTemplate.record(exchange, wrong.neighbor().pattern().template());
            wrongMethod(exchange, method, wrong);
        } else {
            Router.Matched<ApiRoute> matched = (Router.Matched<ApiRoute>) resolution;
            RouteTemplate.record(exchange, matched.route().pattern().template());
            Optional<BodyFailure> bodyFailure = BodyFailure.of(exchange);
            if (bodyFailure.isPresent()) {
                throw bodyFailure.get().refusal();
            }
            invoke(exchange, method, matched);
        }
    }

    /** Grape's order: body (400/413) → authentication by the route's rule (401/403) → endpoint → reply. */
    private void invoke(HttpServerExchange exchange, String method, Router.Matched<ApiRoute> matched)
            throws Exception {
        ApiRoute route = matched.route().target();
        Endpoint endpoint = route.endpoint();
        boolean streamed = endpoint.streamsBody();
        if (streamed) {
            // Its authentication is repeated once the body has arrived, possibly minutes later: every check reads.
            invoke(exchange, method, matched, route, endpoint, true);
            return;
        }
        // Served whole, and quickly: authentication and the project's gate share one read of the access version.
        try (AccessChecks.Request ignored = accessChecks.beginRequest()) {
            invoke(exchange, method, matched, route, endpoint, false);
        }
    }

    private void invoke(HttpServerExchange exchange, String method, Router.Matched<ApiRoute> matched, ApiRoute route,
                        Endpoint endpoint, boolean streamed) throws Exception {
        Params params = Params.of(FormEncoding.parse(exchange.getQueryString()),
                streamed ? Map.of() : BodyReader.read(exchange, endpoint.maxBodyBytes(settings)));
        Credentials credentials = Credentials.from(exchange.getRequestHeaders(), params);
        Actor actor = authenticator.authenticate(credentials, route.auth(), method);
        ApiRequest request = new ApiRequest(method, actor, matched.rawParams(), params, credentials,
                selfUrl(exchange), clock.instant(), new Incoming(exchange, streamed),
                () -> authenticator.authenticate(credentials, route.auth(), method));
        Reply reply = endpoint.handle(request);
        if (reply instanceof Reply.Deferred deferred) {
            park(exchange, deferred);
        } else {
            writer.write(exchange, reply);
        }
    }

    /**
     * The request URL without query, on the configured external URL: the base of pagination links, the same for every
     * list. Behind a proxy that strips the external URL's path ({@code https://host/gitlab} forwarded to {@code /}),
     * the path is put back in front.
     */
    private String selfUrl(HttpServerExchange exchange) {
        String path = RawPath.fullRawPath(exchange);
        String basePath = settings.basePath();
        if (!basePath.isEmpty() && !path.equals(basePath) && !path.startsWith(basePath + "/")) {
            path = basePath + path;
        }
        return settings.origin() + path;
    }

    private void wrongMethod(HttpServerExchange exchange, String method, Router.WrongMethod<ApiRoute> wrong)
            throws IOException {
        Params query = Params.of(FormEncoding.parse(exchange.getQueryString()), Map.of());
        authenticator.authenticate(Credentials.from(exchange.getRequestHeaders(), query),
                wrong.neighbor().target().auth(), method);
        String allow = String.join(", ", wrong.allowed());
        if (method.equals("OPTIONS")) {
            exchange.getResponseHeaders().put(Headers.ALLOW, allow);
            writer.write(exchange, new Reply.Empty(204));
            return;
        }
        throw ApiError.error(405, "405 Not Allowed").withHeader("Allow", allow);
    }

    /**
     * Leaves the exchange open when the endpoint returns; the waiter resumes it on a worker thread, where the deferred
     * answer is written, or its failure answered as an endpoint's would be.
     */
    private void park(HttpServerExchange exchange, Reply.Deferred deferred) {
        Runnable resume = () -> {
            try {
                writer.write(exchange, deferred.answer().call());
            } catch (Exception | Error failure) {
                fail(exchange, failure);
            } finally {
                exchange.endExchange();
            }
        };
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            Runnable cancel = deferred.waiter().await(resume, exchange.getConnection().getWorker());
            exchange.getConnection().addCloseListener(connection -> cancel.run());
        });
    }

    private void fail(HttpServerExchange exchange, Throwable failure) {
        Optional<BodyFailure> bodyFailure = BodyFailure.of(exchange)
                .filter(f -> f != BodyFailure.TOO_LARGE);
        if (bodyFailure.isPresent()) {
            // What went wrong is the client's connection, whatever the endpoint made of the failed read.
            endForBody(exchange, bodyFailure.get(), failure);
            return;
        }
        if (ReplyWriter.handedOff(exchange)) {
            // The answer is on its way from the IO thread; a second one would corrupt the connection.
            LOG.warn("failure after the answer was complete; it is sent as it was", failure);
            return;
        }
        if (exchange.isResponseStarted()) {
            LOG.warn("failure after the response started; closing the connection", failure);
            try {
                exchange.getConnection().close();
            } catch (IOException closeFailed) {
                LOG.debug("closing the connection failed", closeFailed);
            }
            return;
        }
        if (guard != null && failure instanceof JobyardException refusal && refusal.guessedCredential().isPresent()
                && guard.reportGuess(exchange, refusal.guessedCredential().get())) {
            return;
        }
        try {
            if (webErrors != null && isPage(exchange)) {
                HeaderMap response = exchange.getResponseHeaders();
                response.clear();
                securityHeaders(response);
                String query = exchange.getQueryString();
                writer.write(exchange, webErrors.answer(errors.map(failure),
                        RawPath.relativeTo(exchange) + (query == null || query.isEmpty() ? "" : "?" + query)));
                return;
            }
            answer(exchange, errors.map(failure));
        } catch (IOException | RuntimeException writeFailed) {
            LOG.warn("could not write the error reply", writeFailed);
        }
    }

    /** Whether the request was routed to a web page, whose refusals are pages too. */
    private boolean isPage(HttpServerExchange exchange) {
        return resolution(exchange) instanceof Router.Matched<ApiRoute> matched && matched.route().target().auth().web();
    }

    private void answer(HttpServerExchange exchange, ErrorMapper.Mapped mapped) throws IOException {
        HeaderMap response = exchange.getResponseHeaders();
        response.clear();
        securityHeaders(response);
        writer.json(exchange, mapped.status(), mapped.body(), mapped.headers());
    }

    /**
     * A client that went away gets no answer, one INFO line and the status 499 for the access log and metrics; one
     * that stalled gets 408; one whose body found the body budget full gets 503 (logged at most once a minute: under
     * a flood of bodies each line would say the same). Either way the connection is closed: the rest of its body is
     * not waited for.
     */
    private void endForBody(HttpServerExchange exchange, BodyFailure failure, Throwable surfaced) {
        if (failure == BodyFailure.CLIENT_GONE) {
            // One line, no stack trace: a runner killed mid-upload is routine, not a server fault.
            LOG.info("client closed the connection before its request body was complete: {} {} ({} body bytes"
                            + " declared{})", exchange.getRequestMethod(),
                    RouteTemplate.of(exchange).orElse("unmatched"), exchange.getRequestContentLength(),
                    surfaced instanceof ApiError ? "" : "; " + rootMessage(surfaced));
        } else if (failure == BodyFailure.BUSY) {
            long now = System.nanoTime();
            long last = lastBusyWarning.get();
            if ((last == 0 || now - last > TimeUnit.MINUTES.toNanos(1)) && lastBusyWarning.compareAndSet(last, now)) {
                LOG.warn("the request bodies being received hold the whole body buffer (JOBYARD_HTTP_BODY_BUFFER);"
                        + " answering 503 to the bodies that do not fit");
            }
        } else {
            LOG.info("request body stalled for longer than the body timeout: {} {}; answered 408",
                    exchange.getRequestMethod(), RouteTemplate.of(exchange).orElse("unmatched"));
        }
        exchange.setPersistent(false);
        if (failure != BodyFailure.CLIENT_GONE && !exchange.isResponseStarted()) {
            try {
                answer(exchange, errors.map(failure.refusal()));
            } catch (IOException | RuntimeException writeFailed) {
                LOG.debug("could not write the refusal of the body", writeFailed);
            }
        } else if (!exchange.isResponseStarted()) {
            exchange.setStatusCode(failure.status());
        }
        try {
            exchange.getConnection().close();
        } catch (IOException closeFailed) {
            LOG.debug("closing the connection failed", closeFailed);
        }
        exchange.endExchange();
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static void securityHeaders(HeaderMap response) {
        response.put(X_FRAME_OPTIONS, "SAMEORIGIN");
        response.put(X_CONTENT_TYPE_OPTIONS, "nosniff");
    }
}
