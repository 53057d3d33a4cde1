package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.adapter.http.yaml.CiYamlParser;
import io.jobyard.application.port.in.AuthenticateUseCase;
import io.jobyard.application.port.in.CreatePipelineUseCase;
import io.jobyard.application.port.in.ListJobsUseCase;
import io.undertow.server.HttpHandler;

import java.time.Clock;
import java.util.Objects;

/**
 * Pipeline creation, {@code POST /projects/:id/pipeline} (GitLab's route; the {@code .gitlab-ci.yml} text and the
 * commit come in the request because Jobyard holds no repositories), as an Undertow {@link HttpHandler} to chain with
 * the Jobs and runner APIs under the same prefix:
 * {@code jobsApi.handler(runnerApi.handler(pipelineApi.handler()))}.
 */
public final class PipelineApi {
    private final Router<Endpoint> router;
    private final Authenticator authenticator;
    private final HttpSettings settings;
    private final Clock clock;

    /**
     * @param listJobs reads the new pipeline's first job back, which carries the project and user the answer's
     *                 {@code web_url} and {@code user} are made of
     */
    public record UseCases(CreatePipelineUseCase createPipeline, ListJobsUseCase listJobs,
                           AuthenticateUseCase authenticate) {
        public UseCases {
            Objects.requireNonNull(createPipeline, "createPipeline");
            Objects.requireNonNull(listJobs, "listJobs");
            Objects.requireNonNull(authenticate, "authenticate");
        }
    }

    public PipelineApi(UseCases useCases, HttpSettings settings, Clock clock) {
        Objects.requireNonNull(useCases, "useCases");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.authenticator = new Authenticator(useCases.authenticate());
        this.router = Router.<Endpoint>builder()
                .add("POST", "/projects/:id/pipeline", new CreatePipelineEndpoint(useCases.createPipeline(),
                        useCases.listJobs(), new CiYamlParser(), new WebUrls(settings.baseUrl())))
                .build();
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
