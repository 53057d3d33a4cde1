package io.jobyard.adapter.http;

import io.jobyard.adapter.http.auth.AuthRule;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.auth.Credentials;
import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.endpoint.Endpoint;
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
import io.jobyard.adapter.http.throttle.FailedAuthenticationHandler;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.JobyardException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The request pipeline every API shares. On the IO thread it routes the request and reads a small body (everything
 * but the routes that stream theirs) without blocking — a slow or silent client holds a connection, never a worker
 * thread (see {@link SmallBodyReceiver}) — then dispatches itself to a worker and serves in blocking mode, with any
 * body read in blocking mode watched for idleness and disconnects ({@link WatchedBlockingExchange}). It sets
 * the security headers, routes on the raw path (unknown paths go to the fallback, or {@code 404
 * {"error":"404 Not Found"}} without one; a known path with another method gets {@code 204} for OPTIONS and
 * {@code 405 {"error":"405 Not Allowed"}} otherwise, both with {@code Allow}), hands a matched route to the API's
 * {@link Invocation}, and answers any refusal or failure on the way with the API's error mapping. A refusal of a
 * token that matched nothing is reported to the failed-authentication throttle first, which may answer it instead. What differs
 * between the APIs — route type, authentication, how an endpoint is invoked, error mapping — is passed in.
 *
 * @param <T> what a route of this API leads to
 */
public final class ApiPipeline<T> implements SelfDispatching {
    private static final Logger LOG = LoggerFactory.getLogger(ApiPipeline.class);
    private static final HttpString X_FRAME_OPTIONS = HttpString.tryFromString("X-Frame-Options");
    private static final HttpString X_CONTENT_TYPE_OPTIONS = HttpString.tryFromString("X-Content-Type-Options");

    /** Serves a matched route on a blocking exchange: reads what it needs, authenticates, invokes, writes. */
    @FunctionalInterface
    public interface Invocation<T> {
        void serve(HttpServerExchange exchange, String method, Router.Matched<T> matched) throws Exception;
    }

    /** Runs before a known path with another method is answered; throwing refuses the request instead. */
    @FunctionalInterface
    public interface WrongMethodCheck<T> {
        void check(HttpServerExchange exchange, String method, Router.WrongMethod<T> wrong) throws Exception;

        static <T> WrongMethodCheck<T> none() {
            return (exchange, method, wrong) -> { };
        }
    }

    /** What a path this API knows, asked with a method it does not serve, gets. */
    public enum OtherMethod {
        /** 204 for OPTIONS, 405 otherwise — even when there is a fallback. */
        ANSWER_HERE,
        /** The fallback serves it when there is one (its paths are shared with other APIs); otherwise as above. */
        FALLBACK_WHEN_PRESENT
    }

    private final Router<T> router;
    private final Invocation<T> invocation;
    private final Function<Throwable, ErrorMapper.Mapped> errors;
    private final OtherMethod otherMethod;
    private final WrongMethodCheck<T> wrongMethodCheck;
    private final HttpHandler fallback;
    private final HttpSettings settings;
    private final Predicate<T> streamsBody;
    /** This pipeline's routing of the exchange, done once on the IO thread and reused on the worker. */
    private final AttachmentKey<Object> resolved = AttachmentKey.create(Object.class);
    private final ReplyWriter writer = new ReplyWriter();

    /**
     * @param fallback    serves paths no route of this API has; null answers them {@code 404}
     * @param settings    the body limit and timeouts
     * @param streamsBody the routes that read their own body as a stream (log appends, uploads): not read up front
     */
    public ApiPipeline(Router<T> router, Invocation<T> invocation, Function<Throwable, ErrorMapper.Mapped> errors,
                       OtherMethod otherMethod, WrongMethodCheck<T> wrongMethodCheck, HttpHandler fallback,
                       HttpSettings settings, Predicate<T> streamsBody) {
        this.router = Objects.requireNonNull(router, "router");
        this.invocation = Objects.requireNonNull(invocation, "invocation");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.otherMethod = Objects.requireNonNull(otherMethod, "otherMethod");
        this.wrongMethodCheck = Objects.requireNonNull(wrongMethodCheck, "wrongMethodCheck");
        this.fallback = fallback;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.streamsBody = Objects.requireNonNull(streamsBody, "streamsBody");
    }

    /** For APIs none of whose routes streams its body. */
    public ApiPipeline(Router<T> router, Invocation<T> invocation, Function<Throwable, ErrorMapper.Mapped> errors,
                       OtherMethod otherMethod, WrongMethodCheck<T> wrongMethodCheck, HttpHandler fallback,
                       HttpSettings settings) {
        this(router, invocation, errors, otherMethod, wrongMethodCheck, fallback, settings, target -> false);
    }

    /**
     * The invocation of {@link Endpoint}-style APIs, in Grape's order: body (400/413) → authentication by the
     * route's rule (401/403) → endpoint → reply.
     *
     * @param selfUrl the request URL without query, as the endpoints put it in links
     */
    public static <T> Invocation<T> endpoints(Authenticator authenticator, HttpSettings settings, Clock clock,
                                              Function<T, AuthRule> rule, Function<T, Endpoint> endpoint,
                                              Function<HttpServerExchange, String> selfUrl) {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        ReplyWriter replies = new ReplyWriter();
        return (exchange, method, matched) -> {
            T target = matched.route().target();
            Params params = Params.of(FormEncoding.parse(exchange.getQueryString()),
                    BodyReader.read(exchange, endpoint.apply(target).maxBodyBytes(settings)));
            Actor actor = authenticator.authenticate(Credentials.from(exchange.getRequestHeaders(), params),
                    rule.apply(target), method);
            ApiRequest request = new ApiRequest(method, actor, matched.rawParams(), params, selfUrl.apply(exchange),
                    clock.instant());
            replies.write(exchange, endpoint.apply(target).handle(request));
        };
    }

    /**
     * A pipeline for APIs whose routes are all {@code authenticate!} user endpoints, with links on the configured
     * origin and refusals mapped by the Jobs API's {@link ErrorMapper} (the pipeline and admin APIs).
     */
    public static ApiPipeline<Endpoint> userEndpoints(Router<Endpoint> router, Authenticator authenticator,
                                                      HttpSettings settings, Clock clock, OtherMethod otherMethod,
                                                      HttpHandler fallback) {
        Objects.requireNonNull(settings, "settings");
        Invocation<Endpoint> invocation = endpoints(authenticator, settings, clock, endpoint -> AuthRule.USER,
                endpoint -> endpoint, exchange -> settings.origin() + RawPath.fullRawPath(exchange));
        return new ApiPipeline<>(router, invocation, new ErrorMapper()::map, otherMethod, WrongMethodCheck.none(),
                fallback, settings);
    }

    /**
     * The request URL without query, on the configured origin (and under its path, when a proxy strips it): the base
     * of pagination links.
     */
    public static String selfUrl(HttpSettings settings, HttpServerExchange exchange) {
        String path = RawPath.fullRawPath(exchange);
        String basePath = settings.basePath();
        if (!basePath.isEmpty() && !path.equals(basePath) && !path.startsWith(basePath + "/")) {
            path = basePath + path;
        }
        return settings.origin() + path;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            onIoThread(exchange);
            return;
        }
        if (!exchange.isBlocking()) {
            WatchedBlockingExchange.install(exchange, settings.bodyIdleTimeout());
        }
        securityHeaders(exchange.getResponseHeaders());
        try {
            serve(exchange);
        } catch (Throwable failure) {
            fail(exchange, failure);
        }
    }

    /**
     * Routing is pure computation, so it runs here; then either a self-dispatching fallback takes over, or the small
     * body is read without blocking before the dispatch, or (a streamed body, a bodyless request, a host's fallback)
     * the request is dispatched as it is.
     */
    private void onIoThread(HttpServerExchange exchange) throws Exception {
        Router.Resolution<T> resolution = resolution(exchange);
        if (toFallback(resolution) && fallback != null) {
            if (fallback instanceof SelfDispatching) {
                fallback.handleRequest(exchange);
            } else {
                exchange.dispatch(this);
            }
            return;
        }
        if (resolution instanceof Router.Matched<T> matched) {
            // Recorded now, so a request whose body never arrives is still counted under its route.
            RouteTemplate.record(exchange, matched.route().pattern().template());
            if (streamsBody.test(matched.route().target())) {
                exchange.dispatch(this);
                return;
            }
        }
        if (SmallBodyReceiver.hasBody(exchange)) {
            SmallBodyReceiver.receive(exchange, bodyLimit(resolution), settings.bodyTimeout(),
                    () -> exchange.dispatch(this));
            return;
        }
        exchange.dispatch(this);
    }

    /** The matched endpoint's own body limit (the configuration routes take more), the default for anything else. */
    private long bodyLimit(Router.Resolution<T> resolution) {
        if (resolution instanceof Router.Matched<T> matched) {
            Object target = matched.route().target();
            if (target instanceof ApiRoute route) {
                return route.endpoint().maxBodyBytes(settings);
            }
            if (target instanceof Endpoint endpoint) {
                return endpoint.maxBodyBytes(settings);
            }
        }
        return settings.maxBodyBytes();
    }

    private Router.Resolution<T> resolution(HttpServerExchange exchange) {
        @SuppressWarnings("unchecked")
        Router.Resolution<T> known = (Router.Resolution<T>) exchange.getAttachment(resolved);
        if (known != null) {
            return known;
        }
        Router.Resolution<T> resolution = router.resolve(exchange.getRequestMethod().toString(),
                RawPath.relativeTo(exchange));
        exchange.putAttachment(resolved, resolution);
        return resolution;
    }

    private boolean toFallback(Router.Resolution<T> resolution) {
        return resolution instanceof Router.Unmatched<T>
                || otherMethod == OtherMethod.FALLBACK_WHEN_PRESENT && resolution instanceof Router.WrongMethod<T>;
    }

    private void serve(HttpServerExchange exchange) throws Exception {
        String method = exchange.getRequestMethod().toString();
        Router.Resolution<T> resolution = resolution(exchange);
        boolean toFallback = toFallback(resolution);
        if (toFallback && fallback != null) {
            fallback.handleRequest(exchange);
        } else if (resolution instanceof Router.Unmatched<T>) {
            throw ApiError.error(404, "404 Not Found");
        } else if (resolution instanceof Router.WrongMethod<T> wrong) {
            RouteTemplate.record(exchange, wrong.neighbor().pattern().template());
            wrongMethod(exchange, method, wrong);
        } else {
            Router.Matched<T> matched = (Router.Matched<T>) resolution;
            RouteTemplate.record(exchange, matched.route().pattern().template());
            Optional<BodyFailure> bodyFailure = BodyFailure.of(exchange);
            if (bodyFailure.isPresent()) {
                throw bodyFailure.get().refusal();
            }
            invocation.serve(exchange, method, matched);
        }
    }

    private void wrongMethod(HttpServerExchange exchange, String method, Router.WrongMethod<T> wrong)
            throws Exception {
        wrongMethodCheck.check(exchange, method, wrong);
        String allow = String.join(", ", wrong.allowed());
        if (method.equals("OPTIONS")) {
            exchange.getResponseHeaders().put(Headers.ALLOW, allow);
            writer.write(exchange, new Reply.Empty(204));
            return;
        }
        throw ApiError.error(405, "405 Not Allowed").withHeader("Allow", allow);
    }

    /**
     * Answers a failure the way a failing route would be answered, for work that finishes a request after its
     * handler returned (a held long-polling request).
     */
    public void answerFailure(HttpServerExchange exchange, Throwable failure) {
        fail(exchange, failure);
    }

    private void fail(HttpServerExchange exchange, Throwable failure) {
        Optional<BodyFailure> bodyFailure = BodyFailure.of(exchange)
                .filter(f -> f == BodyFailure.TIMED_OUT || f == BodyFailure.CLIENT_GONE);
        if (bodyFailure.isPresent()) {
            // What went wrong is the client's connection, whatever the endpoint made of the failed read.
            endForBody(exchange, bodyFailure.get(), failure);
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
        if (failure instanceof JobyardException refusal && refusal.guessedCredential().isPresent()
                && FailedAuthenticationHandler.reportGuess(exchange, refusal.guessedCredential().get())) {
            return;
        }
        ErrorMapper.Mapped mapped = errors.apply(failure);
        HeaderMap response = exchange.getResponseHeaders();
        response.clear();
        securityHeaders(response);
        try {
            writer.json(exchange, mapped.status(), mapped.body(), mapped.headers());
        } catch (IOException | RuntimeException writeFailed) {
            LOG.warn("could not write the error reply", writeFailed);
        }
    }

    /**
     * A client that went away gets no answer, one INFO line and the status 499 for the access log and metrics; one
     * that stalled gets 408. Either way the connection is closed: the rest of its body is not waited for.
     */
    private void endForBody(HttpServerExchange exchange, BodyFailure failure, Throwable surfaced) {
        if (failure == BodyFailure.CLIENT_GONE) {
            // One line, no stack trace: a runner killed mid-upload is routine, not a server fault.
            LOG.info("client closed the connection before its request body was complete: {} {} ({} body bytes"
                            + " declared{})", exchange.getRequestMethod(),
                    RouteTemplate.of(exchange).orElse("unmatched"), exchange.getRequestContentLength(),
                    surfaced instanceof ApiError ? "" : "; " + rootMessage(surfaced));
        } else {
            LOG.info("request body stalled for longer than the body timeout: {} {}; answered 408",
                    exchange.getRequestMethod(), RouteTemplate.of(exchange).orElse("unmatched"));
        }
        exchange.setPersistent(false);
        if (failure == BodyFailure.TIMED_OUT && !exchange.isResponseStarted()) {
            HeaderMap response = exchange.getResponseHeaders();
            response.clear();
            securityHeaders(response);
            ErrorMapper.Mapped mapped = errors.apply(failure.refusal());
            try {
                writer.json(exchange, mapped.status(), mapped.body(), mapped.headers());
            } catch (IOException | RuntimeException writeFailed) {
                LOG.debug("could not write the 408", writeFailed);
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
