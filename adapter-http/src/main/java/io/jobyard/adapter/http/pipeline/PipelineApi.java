package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.auth.AuthRule;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.pipeline.CiConfigUseCase;
import io.jobyard.application.port.in.pipeline.CreatePipelineFromConfigUseCase;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.undertow.server.HttpHandler;

import java.time.Clock;
import java.util.Objects;

/**
 * GitLab's pipeline routes ({@code lib/api/ci/pipelines.rb}) and Jobyard's stored configuration route, as an Undertow
 * {@link HttpHandler} to chain with the Jobs and runner APIs under the same prefix:
 * {@code jobsApi.handler(runnerApi.handler(pipelineApi.handler()))}. GitLab's pipeline class authenticates non-GET
 * requests only: anonymous reads of public projects pass to the use cases, CI job tokens are not taken here (the
 * pipeline's jobs list, which takes them, is the Jobs API's).
 */
public final class PipelineApi {
    private final Router<ApiRoute> router;
    private final Authenticator authenticator;
    private final HttpSettings settings;
    private final Clock clock;

    public record UseCases(CreatePipelineFromConfigUseCase createPipeline, PipelinesUseCase pipelines,
                           CiConfigUseCase ciConfig, AuthenticateUseCase authenticate) {
        public UseCases {
            Objects.requireNonNull(createPipeline, "createPipeline");
            Objects.requireNonNull(pipelines, "pipelines");
            Objects.requireNonNull(ciConfig, "ciConfig");
            Objects.requireNonNull(authenticate, "authenticate");
        }
    }

    public PipelineApi(UseCases useCases, HttpSettings settings, Clock clock) {
        Objects.requireNonNull(useCases, "useCases");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.authenticator = new Authenticator(useCases.authenticate());
        WebUrls urls = new WebUrls(settings.baseUrl());
        PipelinesUseCase pipelines = useCases.pipelines();
        this.router = Router.<ApiRoute>builder()
                .add("POST", "/projects/:id/pipeline",
                        route(new CreatePipelineEndpoint(useCases.createPipeline(), pipelines, urls)))
                .add("GET", "/projects/:id/pipelines", route(new ListPipelinesEndpoint(pipelines, urls)))
                .add("GET", "/projects/:id/pipelines/:pipeline_id", route(new GetPipelineEndpoint(pipelines, urls)))
                .add("POST", "/projects/:id/pipelines/:pipeline_id/retry",
                        route(new PipelineActionEndpoint(pipelines, PipelineActionEndpoint.Action.RETRY, urls)))
                .add("POST", "/projects/:id/pipelines/:pipeline_id/cancel",
                        route(new PipelineActionEndpoint(pipelines, PipelineActionEndpoint.Action.CANCEL, urls)))
                .add("GET", "/projects/:id/pipelines/:pipeline_id/variables",
                        route(new PipelineVariablesEndpoint(pipelines)))
                .add("GET", "/projects/:id/ci_config", route(CiConfigEndpoint.read(useCases.ciConfig())))
                .add("PUT", "/projects/:id/ci_config", route(CiConfigEndpoint.store(useCases.ciConfig())))
                .build();
    }

    /** {@code authenticate_non_get!}: anonymous GETs reach the use case, anonymous writes are 401. */
    private static ApiRoute route(Endpoint endpoint) {
        return new ApiRoute(endpoint, AuthRule.PUBLIC_READ);
    }

    /** Unknown paths are {@code 404 {"error":"404 Not Found"}}. */
    public HttpHandler handler() {
        return new PipelineHandler(router, authenticator, settings, clock, null);
    }

    /** Paths this API has no route for go to {@code fallback} (on a worker thread, in blocking mode). */
    public HttpHandler handler(HttpHandler fallback) {
        return new PipelineHandler(router, authenticator, settings, clock,
                Objects.requireNonNull(fallback, "fallback"));
    }
}
