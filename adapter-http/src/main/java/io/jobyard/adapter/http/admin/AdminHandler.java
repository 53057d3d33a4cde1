package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.ApiPipeline;
import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.SelfDispatching;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.reply.ErrorMapper;
import io.jobyard.adapter.http.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.time.Clock;

/**
 * The admin routes on the shared {@link ApiPipeline}: each route carries its own authentication rule (the writes and
 * the members API are {@code authenticate!}; the users and projects reads let anonymous requests through to the use
 * case), each refusal answered through the Jobs API's error mapping. The admin routes share their paths with routes
 * other APIs may serve, so with a fallback a path known here under another method is not this API's to refuse with 405.
 */
final class AdminHandler implements SelfDispatching {
    private final ApiPipeline<ApiRoute> pipeline;

    AdminHandler(Router<ApiRoute> router, Authenticator authenticator, HttpSettings settings, Clock clock,
            HttpHandler fallback) {
        ApiPipeline.Invocation<ApiRoute> invocation = ApiPipeline.endpoints(authenticator, settings, clock,
                ApiRoute::auth, ApiRoute::endpoint, exchange -> ApiPipeline.selfUrl(settings, exchange));
        this.pipeline = new ApiPipeline<>(router, invocation, new ErrorMapper()::map,
                ApiPipeline.OtherMethod.FALLBACK_WHEN_PRESENT, ApiPipeline.WrongMethodCheck.none(), fallback,
                settings);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        pipeline.handleRequest(exchange);
    }
}
