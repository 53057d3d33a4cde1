package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.ApiPipeline;
import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.time.Clock;

/**
 * The pipeline routes on the shared {@link ApiPipeline}: all are {@code authenticate!} writes (user authentication),
 * each refusal answered through the Jobs API's error mapping. A known path with another method is
 * answered here (204/405) even when there is a fallback.
 */
final class PipelineHandler implements HttpHandler {
    private final ApiPipeline<Endpoint> pipeline;

    PipelineHandler(Router<Endpoint> router, Authenticator authenticator, HttpSettings settings, Clock clock,
            HttpHandler fallback) {
        this.pipeline = ApiPipeline.userEndpoints(router, authenticator, settings, clock,
                ApiPipeline.OtherMethod.ANSWER_HERE, fallback);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        pipeline.handleRequest(exchange);
    }
}
