package io.jobyard.adapter.http;

import io.jobyard.adapter.http.auth.AuthRule;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.auth.Credentials;
import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.params.BodyReader;
import io.jobyard.adapter.http.params.FormEncoding;
import io.jobyard.adapter.http.params.ParamValue;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.adapter.http.reply.ErrorMapper;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.adapter.http.reply.ReplyWriter;
import io.jobyard.adapter.http.routing.RawPath;
import io.jobyard.adapter.http.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The request pipeline, in Grape's order: route on the raw path → read the body (400/413) → authenticate by the
 * route's rule (401/403) → endpoint → reply. Any refusal or failure on the way is answered by {@link ErrorMapper}.
 * Runs on a worker thread: it dispatches itself off the IO thread and reads and writes in blocking mode.
 */
final class ApiHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final HttpString X_FRAME_OPTIONS = HttpString.tryFromString("X-Frame-Options");
    private static final HttpString X_CONTENT_TYPE_OPTIONS = HttpString.tryFromString("X-Content-Type-Options");

    private final Router<ApiRoute> router;
    private final Authenticator authenticator;
    private final HttpSettings settings;
    private final Clock clock;
    private final HttpHandler fallback;
    private final ErrorMapper errors = new ErrorMapper();
    private final ReplyWriter writer = new ReplyWriter();

    /** @param fallback serves paths no API route has; null answers them {@code 404 {"error":"404 Not Found"}} */
    ApiHandler(Router<ApiRoute> router, Authenticator authenticator, HttpSettings settings, Clock clock,
               HttpHandler fallback) {
        this.router = Objects.requireNonNull(router, "router");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.fallback = fallback;
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
        HeaderMap response = exchange.getResponseHeaders();
        response.put(X_FRAME_OPTIONS, "SAMEORIGIN");
        response.put(X_CONTENT_TYPE_OPTIONS, "nosniff");
        try {
            serve(exchange);
        } catch (Throwable failure) {
            fail(exchange, failure);
        }
    }

    private void serve(HttpServerExchange exchange) throws Exception {
        String method = exchange.getRequestMethod().toString();
        Router.Resolution<ApiRoute> resolution = router.resolve(method, RawPath.relativeTo(exchange));
        if (resolution instanceof Router.Unmatched<ApiRoute>) {
            if (fallback != null) {
                fallback.handleRequest(exchange);
                return;
            }
            throw ApiError.error(404, "404 Not Found");
        }
        if (resolution instanceof Router.WrongMethod<ApiRoute> wrong) {
            wrongMethod(exchange, method, wrong);
            return;
        }
        Router.Matched<ApiRoute> matched = (Router.Matched<ApiRoute>) resolution;
        Map<String, ParamValue> body = BodyReader.read(exchange, settings.maxBodyBytes());
        Params params = Params.of(FormEncoding.parse(exchange.getQueryString()), body);
        ApiRoute route = matched.route().target();
        var actor = authenticator.authenticate(Credentials.from(exchange.getRequestHeaders(), params), route.auth(),
                method);
        ApiRequest request = new ApiRequest(method, actor, matched.rawParams(), params, selfUrl(exchange),
                clock.instant());
        Reply reply = route.endpoint().handle(request);
        writer.write(exchange, reply);
    }

    /**
     * A known path with another method: Grape still runs the route's authentication first, then answers OPTIONS with
     * 204 and anything else with 405 {@code {"error":"405 Not Allowed"}}, both listing the methods in {@code Allow}.
     */
    private void wrongMethod(HttpServerExchange exchange, String method, Router.WrongMethod<ApiRoute> wrong)
            throws IOException {
        Params params = Params.of(FormEncoding.parse(exchange.getQueryString()), Map.of());
        AuthRule rule = wrong.neighbor().target().auth();
        authenticator.authenticate(Credentials.from(exchange.getRequestHeaders(), params), rule, method);
        String allow = String.join(", ", wrong.allowed());
        if (method.equals("OPTIONS")) {
            exchange.getResponseHeaders().put(Headers.ALLOW, allow);
            writer.write(exchange, new Reply.Empty(204));
            return;
        }
        throw ApiError.error(405, "405 Not Allowed").withHeader("Allow", allow);
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
        ErrorMapper.Mapped mapped = errors.map(failure);
        HeaderMap response = exchange.getResponseHeaders();
        response.clear();
        response.put(X_FRAME_OPTIONS, "SAMEORIGIN");
        response.put(X_CONTENT_TYPE_OPTIONS, "nosniff");
        try {
            writer.json(exchange, mapped.status(), mapped.body(), mapped.headers());
        } catch (IOException | RuntimeException writeFailed) {
            LOG.warn("could not write the error reply", writeFailed);
        }
    }

    /** The request URL without query, on the configured origin (and under its path, when a proxy strips it). */
    private String selfUrl(HttpServerExchange exchange) {
        String path = RawPath.fullRawPath(exchange);
        String basePath = settings.basePath();
        if (!basePath.isEmpty() && !path.equals(basePath) && !path.startsWith(basePath + "/")) {
            path = basePath + path;
        }
        return settings.origin() + path;
    }
}
