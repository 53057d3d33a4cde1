package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.adapter.http.reply.ErrorMapper;
import io.jobyard.adapter.http.reply.ReplyWriter;
import io.jobyard.adapter.http.routing.RawPath;
import io.jobyard.adapter.http.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Objects;

/**
 * Routes a runner-API request on its raw path and serves it on a worker thread in blocking mode. Every refusal or
 * failure becomes GitLab's status and body through {@link RunnerErrors}; nothing escapes as a stack trace.
 */
final class RunnerHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerHandler.class);
    private static final HttpString X_FRAME_OPTIONS = HttpString.tryFromString("X-Frame-Options");
    private static final HttpString X_CONTENT_TYPE_OPTIONS = HttpString.tryFromString("X-Content-Type-Options");

    private final Router<RunnerEndpoint> router;
    private final HttpSettings settings;
    private final HttpHandler fallback;
    private final RunnerErrors errors = new RunnerErrors(new ErrorMapper());
    private final ReplyWriter writer = new ReplyWriter();

    /** @param fallback serves paths no runner route has; null answers them {@code 404 {"error":"404 Not Found"}} */
    RunnerHandler(Router<RunnerEndpoint> router, HttpSettings settings, HttpHandler fallback) {
        this.router = Objects.requireNonNull(router, "router");
        this.settings = Objects.requireNonNull(settings, "settings");
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
        Router.Resolution<RunnerEndpoint> resolution = router.resolve(method, RawPath.relativeTo(exchange));
        if (resolution instanceof Router.Unmatched<RunnerEndpoint>) {
            if (fallback != null) {
                fallback.handleRequest(exchange);
                return;
            }
            throw ApiError.error(404, "404 Not Found");
        }
        if (resolution instanceof Router.WrongMethod<RunnerEndpoint> wrong) {
            String allow = String.join(", ", wrong.allowed());
            if (method.equals("OPTIONS")) {
                exchange.getResponseHeaders().put(Headers.ALLOW, allow);
                exchange.setStatusCode(204);
                exchange.endExchange();
                return;
            }
            throw ApiError.error(405, "405 Not Allowed").withHeader("Allow", allow);
        }
        Router.Matched<RunnerEndpoint> matched = (Router.Matched<RunnerEndpoint>) resolution;
        matched.route().target().serve(new RunnerCall(exchange, matched.rawParams(), settings));
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
