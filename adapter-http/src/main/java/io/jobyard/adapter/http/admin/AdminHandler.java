package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.HttpSettings;
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
import io.jobyard.adapter.http.reply.ReplyWriter;
import io.jobyard.adapter.http.routing.RawPath;
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

/**
 * Grape's order for the admin routes (all {@code authenticate!} writes): route → body → user authentication →
 * endpoint → reply, each refusal answered through the Jobs API's {@link ErrorMapper}.
 */
final class AdminHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final HttpString X_FRAME_OPTIONS = HttpString.tryFromString("X-Frame-Options");
    private static final HttpString X_CONTENT_TYPE_OPTIONS = HttpString.tryFromString("X-Content-Type-Options");

    private final Router<Endpoint> router;
    private final Authenticator authenticator;
    private final HttpSettings settings;
    private final Clock clock;
    private final HttpHandler fallback;
    private final ErrorMapper errors = new ErrorMapper();
    private final ReplyWriter writer = new ReplyWriter();

    AdminHandler(Router<Endpoint> router, Authenticator authenticator, HttpSettings settings, Clock clock,
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
        securityHeaders(exchange.getResponseHeaders());
        try {
            serve(exchange);
        } catch (Throwable failure) {
            fail(exchange, failure);
        }
    }

    private void serve(HttpServerExchange exchange) throws Exception {
        String method = exchange.getRequestMethod().toString();
        Router.Resolution<Endpoint> resolution = router.resolve(method, RawPath.relativeTo(exchange));
        // The admin routes share their paths with reads other APIs serve (GET /users, GET /projects/:id/members),
        // so with a fallback a path known under another method is not this API's to refuse with 405.
        if (resolution instanceof Router.Unmatched<Endpoint> || fallback != null
                && resolution instanceof Router.WrongMethod<Endpoint>) {
            if (fallback != null) {
                fallback.handleRequest(exchange);
                return;
            }
            throw ApiError.error(404, "404 Not Found");
        }
        if (resolution instanceof Router.WrongMethod<Endpoint> wrong) {
            String allow = String.join(", ", wrong.allowed());
            if (method.equals("OPTIONS")) {
                exchange.getResponseHeaders().put(Headers.ALLOW, allow);
                exchange.setStatusCode(204);
                exchange.endExchange();
                return;
            }
            throw ApiError.error(405, "405 Not Allowed").withHeader("Allow", allow);
        }
        Router.Matched<Endpoint> matched = (Router.Matched<Endpoint>) resolution;
        Params params = Params.of(FormEncoding.parse(exchange.getQueryString()),
                BodyReader.read(exchange, settings.maxBodyBytes()));
        Actor actor = authenticator.authenticate(Credentials.from(exchange.getRequestHeaders(), params),
                AuthRule.USER, method);
        ApiRequest request = new ApiRequest(method, actor, matched.rawParams(), params,
                settings.origin() + RawPath.fullRawPath(exchange), clock.instant());
        writer.write(exchange, matched.route().target().handle(request));
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
