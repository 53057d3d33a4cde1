package io.jobyard.bootstrap;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;

/** Paths outside the API and the operational routes: GitLab's catch-all 404 body. */
final class NotFoundHandler implements HttpHandler {
    static final NotFoundHandler INSTANCE = new NotFoundHandler();

    private NotFoundHandler() {
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.setStatusCode(StatusCodes.NOT_FOUND);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "application/json")
                .put(HttpString.tryFromString("X-Content-Type-Options"), "nosniff")
                .put(HttpString.tryFromString("X-Frame-Options"), "SAMEORIGIN");
        exchange.getResponseSender().send("{\"error\":\"404 Not Found\"}");
    }
}
