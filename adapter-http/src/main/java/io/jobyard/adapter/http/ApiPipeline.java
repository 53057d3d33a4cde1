package io.jobyard.adapter.http;

import io.jobyard.adapter.http.auth.AuthRule;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.auth.Credentials;
import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.params.BodyReader;
import io.jobyard.adapter.http.params.FormEncoding;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.adapter.http.reply.ErrorMapper;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.adapter.http.reply.ReplyWriter;
import io.jobyard.adapter.http.routing.RawPath;
import io.jobyard.adapter.http.routing.RouteTemplate;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.domain.access.Actor;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * The request pipeline every API shares: it dispatches itself off the IO thread and serves in blocking mode, sets
 * the security headers, routes on the raw path (unknown paths go to the fallback, or {@code 404
 * {"error":"404 Not Found"}} without one; a known path with another method gets {@code 204} for OPTIONS and
 * {@code 405 {"error":"405 Not Allowed"}} otherwise, both with {@code Allow}), hands a matched route to the API's
 * {@link Invocation}, and answers any refusal or failure on the way with the API's error mapping. What differs
 * between the APIs — route type, authentication, how an endpoint is invoked, error mapping — is passed in.
 *
 * @param <T> what a route of this API leads to
 */
public final class ApiPipeline<T> implements HttpHandler {
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
    private final ReplyWriter writer = new ReplyWriter();

    /** @param fallback serves paths no route of this API has; null answers them {@code 404} */
    public ApiPipeline(Router<T> router, Invocation<T> invocation, Function<Throwable, ErrorMapper.Mapped> errors,
                       OtherMethod otherMethod, WrongMethodCheck<T> wrongMethodCheck, HttpHandler fallback) {
        this.router = Objects.requireNonNull(router, "router");
        this.invocation = Objects.requireNonNull(invocation, "invocation");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.otherMethod = Objects.requireNonNull(otherMethod, "otherMethod");
        this.wrongMethodCheck = Objects.requireNonNull(wrongMethodCheck, "wrongMethodCheck");
        this.fallback = fallback;
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
                fallback);
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
            exchange.dispatch(this);
            return;
        }
        if (!exchange.isBlocking()) {
            exchange.startBlocking();
        }
        securityHeaders(exchange.getResponseHeaders());
        try {
            serve(exchange);
        } catch (Throwable failure) {
            fail(exchange, failure);
        }
    }

    private void serve(HttpServerExchange exchange) throws Exception {
        String method = exchange.getRequestMethod().toString();
        Router.Resolution<T> resolution = router.resolve(method, RawPath.relativeTo(exchange));
        boolean toFallback = resolution instanceof Router.Unmatched<T>
                || otherMethod == OtherMethod.FALLBACK_WHEN_PRESENT && resolution instanceof Router.WrongMethod<T>;
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
        if (exchange.isResponseStarted()) {
            LOG.warn("failure after the response started; closing the connection", failure);
            try {
                exchange.getConnection().close();
            } catch (IOException closeFailed) {
                LOG.debug("closing the connection failed", closeFailed);
            }
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

    private static void securityHeaders(HeaderMap response) {
        response.put(X_FRAME_OPTIONS, "SAMEORIGIN");
        response.put(X_CONTENT_TYPE_OPTIONS, "nosniff");
    }
}
