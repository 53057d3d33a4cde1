package io.jobyard.adapter.http;

import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.auth.Credentials;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.params.FormEncoding;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.ErrorMapper;
import io.jobyard.adapter.http.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The Jobs API on the shared {@link ApiPipeline}: each route carries its own authentication rule, and a known path
 * with another method is still authenticated by that route's rule before it is answered 204/405 (as Grape does).
 */
final class ApiHandler implements SelfDispatching {
    private final ApiPipeline<ApiRoute> pipeline;

    /** @param fallback serves paths no API route has; null answers them {@code 404 {"error":"404 Not Found"}} */
    ApiHandler(Router<ApiRoute> router, Authenticator authenticator, HttpSettings settings, Clock clock,
               HttpHandler fallback) {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(settings, "settings");
        ApiPipeline.Invocation<ApiRoute> invocation = ApiPipeline.endpoints(authenticator, settings, clock,
                ApiRoute::auth, ApiRoute::endpoint, exchange -> ApiPipeline.selfUrl(settings, exchange));
        ApiPipeline.WrongMethodCheck<ApiRoute> authenticateFirst = (exchange, method, wrong) -> {
            Params params = Params.of(FormEncoding.parse(exchange.getQueryString()), Map.of());
            authenticator.authenticate(Credentials.from(exchange.getRequestHeaders(), params),
                    wrong.neighbor().target().auth(), method);
        };
        this.pipeline = new ApiPipeline<>(router, invocation, new ErrorMapper()::map,
                ApiPipeline.OtherMethod.ANSWER_HERE, authenticateFirst, fallback, settings);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        pipeline.handleRequest(exchange);
    }
}
