package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.ApiPipeline;
import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.time.Clock;

/**
 * The admin routes on the shared {@link ApiPipeline}: all are {@code authenticate!} writes (user authentication),
 * each refusal answered through the Jobs API's error mapping. The admin routes share their paths
 * with reads other APIs serve (GET /users, GET /projects/:id/members), so with a fallback a path known here under
 * another method is not this API's to refuse with 405.
 */
final class AdminHandler implements HttpHandler {
    private final ApiPipeline<Endpoint> pipeline;

    AdminHandler(Router<Endpoint> router, Authenticator authenticator, HttpSettings settings, Clock clock,
            HttpHandler fallback) {
        this.pipeline = ApiPipeline.userEndpoints(router, authenticator, settings, clock,
                ApiPipeline.OtherMethod.FALLBACK_WHEN_PRESENT, fallback);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        pipeline.handleRequest(exchange);
    }
}
