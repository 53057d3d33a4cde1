package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.ApiPipeline;
import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.SelfDispatching;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.reply.ErrorMapper;
import io.jobyard.adapter.http.routing.RawPath;
import io.jobyard.adapter.http.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.time.Clock;

/**
 * The pipeline routes on the shared {@link ApiPipeline}, each authenticated by its route's rule and every refusal
 * answered through the Jobs API's error mapping. A known path with another method is answered here (204/405) even
 * when there is a fallback.
 */
final class PipelineHandler implements SelfDispatching {
    private final ApiPipeline<ApiRoute> pipeline;

    PipelineHandler(Router<ApiRoute> router, Authenticator authenticator, HttpSettings settings, Clock clock,
            HttpHandler fallback) {
        ApiPipeline.Invocation<ApiRoute> invocation = ApiPipeline.endpoints(authenticator, settings, clock,
                ApiRoute::auth, ApiRoute::endpoint, exchange -> settings.origin() + RawPath.fullRawPath(exchange));
        this.pipeline = new ApiPipeline<>(router, invocation, new ErrorMapper()::map,
                ApiPipeline.OtherMethod.ANSWER_HERE, ApiPipeline.WrongMethodCheck.none(), fallback, settings);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        pipeline.handleRequest(exchange);
    }
}
