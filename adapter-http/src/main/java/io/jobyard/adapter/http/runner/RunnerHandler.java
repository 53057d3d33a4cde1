package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.ApiPipeline;
import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.SelfDispatching;
import io.jobyard.adapter.http.reply.ErrorMapper;
import io.jobyard.adapter.http.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.Objects;

/**
 * The runner API on the shared {@link ApiPipeline}: a matched endpoint serves its own {@link RunnerCall} (the
 * runner endpoints check their tokens and read their bodies themselves), and every refusal or failure becomes
 * GitLab's status and body through {@link RunnerErrors}.
 */
final class RunnerHandler implements SelfDispatching {
    private final ApiPipeline<RunnerEndpoint> pipeline;

    /** @param fallback serves paths no runner route has; null answers them {@code 404 {"error":"404 Not Found"}} */
    RunnerHandler(Router<RunnerEndpoint> router, HttpSettings settings, HttpHandler fallback) {
        Objects.requireNonNull(settings, "settings");
        ApiPipeline.Invocation<RunnerEndpoint> invocation = (exchange, method, matched) ->
                matched.route().target().serve(new RunnerCall(exchange, matched.rawParams(), settings,
                        failure -> pipeline().answerFailure(exchange, failure)));
        this.pipeline = new ApiPipeline<>(router, invocation, new RunnerErrors(new ErrorMapper())::map,
                ApiPipeline.OtherMethod.ANSWER_HERE, ApiPipeline.WrongMethodCheck.none(), fallback, settings,
                RunnerEndpoint::streamsBody);
    }

    private ApiPipeline<RunnerEndpoint> pipeline() {
        return pipeline;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        pipeline.handleRequest(exchange);
    }
}
