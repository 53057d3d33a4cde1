package io.jobyard.adapter.http;

import io.jobyard.adapter.http.auth.AuthRule;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.endpoint.CancelJobEndpoint;
import io.jobyard.adapter.http.endpoint.CurrentJobEndpoint;
import io.jobyard.adapter.http.endpoint.DeleteArtifactsEndpoint;
import io.jobyard.adapter.http.endpoint.DownloadArchiveEndpoint;
import io.jobyard.adapter.http.endpoint.DownloadFileEndpoint;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.GetJobEndpoint;
import io.jobyard.adapter.http.endpoint.JobActionEndpoint;
import io.jobyard.adapter.http.endpoint.ListPipelineJobsEndpoint;
import io.jobyard.adapter.http.endpoint.ListProjectJobsEndpoint;
import io.jobyard.adapter.http.endpoint.PlayJobEndpoint;
import io.jobyard.adapter.http.endpoint.TraceEndpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.job.GetJobUseCase;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.application.port.in.trace.ReadTraceUseCase;
import io.undertow.server.HttpHandler;

import java.time.Clock;
import java.util.Objects;

/**
 * GitLab's Jobs REST API (v4) as one Undertow {@link HttpHandler}: the only place that lists the routes.
 *
 * <p>Mount it under the API prefix and compose it with the host's own routes:
 * <pre>{@code
 * JobsApi api = new JobsApi(useCases, HttpSettings.of(URI.create("https://ci.example.com")), Clock.systemUTC());
 * HttpHandler root = Handlers.path()
 *         .addPrefixPath("/api/v4", api.handler())
 *         .addExactPath("/-/health", health);
 * Undertow.builder()
 *         .setServerOption(UndertowOptions.DECODE_URL, false)   // recommended: routing reads the raw path anyway
 *         .addHttpListener(8080, "0.0.0.0").setHandler(root).build().start();
 * }</pre>
 * Routing reads the raw request URI and removes the mount prefix itself, so it is right whether or not the server
 * decodes URLs, provided {@code UndertowOptions.ALLOW_ENCODED_SLASH} stays false (the default): a project path
 * {@code group%2Fproject} must reach the router as one segment. {@link #handler(HttpHandler)} passes paths no API
 * route knows to the host's handler instead of answering them 404, for hosts that serve more under the same prefix.
 * The handler dispatches itself to a worker thread; the host need not wrap it in a {@code BlockingHandler}.
 *
 * <p>Slow clients: the handler routes on the IO thread and reads a small request body there, without blocking, before
 * any worker is involved; it must arrive within {@link HttpSettings#bodyTimeout()}, and a streamed body (log append,
 * upload) may pause at most {@link HttpSettings#bodyIdleTimeout()} (408 past either). What a handler cannot see is the
 * host's to configure on its server: {@code UndertowOptions.REQUEST_PARSE_TIMEOUT} for headers that never end,
 * {@code UndertowOptions.NO_REQUEST_TIMEOUT} for idle and silent connections, and a cap on open connections (XNIO's
 * {@code Options.CONNECTION_HIGH_WATER}/{@code CONNECTION_LOW_WATER}); the standalone {@code JobyardServer} sets all
 * three.
 */
public final class JobsApi {
    private final Router<ApiRoute> router;
    private final Authenticator authenticator;
    private final HttpSettings settings;
    private final Clock clock;

    /** The inbound ports the API calls. */
    public record UseCases(ListJobsUseCase listJobs, GetJobUseCase getJob, ReadTraceUseCase readTrace,
                           JobActionsUseCase jobActions, ArtifactsUseCase artifacts,
                           AuthenticateUseCase authenticate) {
        public UseCases {
            Objects.requireNonNull(listJobs, "listJobs");
            Objects.requireNonNull(getJob, "getJob");
            Objects.requireNonNull(readTrace, "readTrace");
            Objects.requireNonNull(jobActions, "jobActions");
            Objects.requireNonNull(artifacts, "artifacts");
            Objects.requireNonNull(authenticate, "authenticate");
        }
    }

    /** @param clock the time live durations of running jobs are measured to */
    public JobsApi(UseCases useCases, HttpSettings settings, Clock clock) {
        Objects.requireNonNull(useCases, "useCases");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.authenticator = new Authenticator(useCases.authenticate());
        this.router = routes(useCases, new WebUrls(settings.baseUrl()), settings.offsetPaginationLimit());
    }

    /** The API; unknown paths are {@code 404 {"error":"404 Not Found"}} as GitLab's catch-all route answers. */
    public HttpHandler handler() {
        return new ApiHandler(router, authenticator, settings, clock, null);
    }

    /** The API; paths no API route has go to {@code fallback} (which runs on a worker thread, in blocking mode). */
    public HttpHandler handler(HttpHandler fallback) {
        return new ApiHandler(router, authenticator, settings, clock, Objects.requireNonNull(fallback, "fallback"));
    }

    /**
     * The routes, relative to the mount point, in GitLab's mount order: job_artifacts.rb before jobs.rb, so the
     * by-ref artifact routes win over {@code :job_id} routes for paths like {@code /jobs/artifacts/...}.
     */
    static Router<ApiRoute> routes(UseCases useCases, WebUrls urls, long offsetLimit) {
        ArtifactsUseCase artifacts = useCases.artifacts();
        JobActionsUseCase actions = useCases.jobActions();
        Endpoint keep = JobActionEndpoint.keep(actions, urls);
        return Router.<ApiRoute>builder()
                // lib/api/ci/job_artifacts.rb: authenticate_non_get!
                .add("GET", "/projects/:id/jobs/artifacts/:ref_name+/download",
                        route(DownloadArchiveEndpoint.byRef(artifacts), AuthRule.PUBLIC_READ_OR_JOB_TOKEN))
                .add("GET", "/projects/:id/jobs/:job_id/artifacts",
                        route(DownloadArchiveEndpoint.byJob(artifacts), AuthRule.PUBLIC_READ_OR_JOB_TOKEN))
                .add("GET", "/projects/:id/jobs/artifacts/:ref_name+/raw/*artifact_path",
                        route(DownloadFileEndpoint.byRef(artifacts), AuthRule.PUBLIC_READ_OR_JOB_TOKEN))
                .add("GET", "/projects/:id/jobs/:job_id/artifacts/*artifact_path",
                        route(DownloadFileEndpoint.byJob(artifacts), AuthRule.PUBLIC_READ_OR_JOB_TOKEN))
                .add("POST", "/projects/:id/jobs/:job_id/artifacts/keep", route(keep, AuthRule.PUBLIC_READ))
                .add("DELETE", "/projects/:id/jobs/:job_id/artifacts",
                        route(DeleteArtifactsEndpoint.ofJob(artifacts), AuthRule.PUBLIC_READ))
                .add("DELETE", "/projects/:id/artifacts",
                        route(DeleteArtifactsEndpoint.ofProject(artifacts), AuthRule.PUBLIC_READ))
                // lib/api/ci/jobs.rb: authenticate!
                .add("GET", "/projects/:id/jobs",
                        route(new ListProjectJobsEndpoint(useCases.listJobs(), urls, offsetLimit),
                                AuthRule.USER_OR_JOB_TOKEN))
                .add("GET", "/projects/:id/jobs/:job_id",
                        route(new GetJobEndpoint(useCases.getJob(), urls), AuthRule.USER))
                .add("GET", "/projects/:id/jobs/:job_id/trace",
                        route(new TraceEndpoint(useCases.readTrace()), AuthRule.USER))
                .add("POST", "/projects/:id/jobs/:job_id/cancel",
                        route(new CancelJobEndpoint(actions, urls), AuthRule.USER))
                .add("POST", "/projects/:id/jobs/:job_id/retry",
                        route(JobActionEndpoint.retry(actions, urls), AuthRule.USER))
                .add("POST", "/projects/:id/jobs/:job_id/erase",
                        route(JobActionEndpoint.erase(actions, urls), AuthRule.USER))
                .add("POST", "/projects/:id/jobs/:job_id/play",
                        route(new PlayJobEndpoint(actions, urls), AuthRule.USER))
                .add("GET", "/job", route(new CurrentJobEndpoint(useCases.getJob(), urls), AuthRule.USER_OR_JOB_TOKEN))
                // lib/api/ci/pipelines.rb: authenticate_non_get!
                .add("GET", "/projects/:id/pipelines/:pipeline_id/jobs",
                        route(new ListPipelineJobsEndpoint(useCases.listJobs(), urls, offsetLimit),
                                AuthRule.PUBLIC_READ_OR_JOB_TOKEN))
                // gitlab4j-api posts keep-artifacts here (GitLab itself answers 404); contract §8.5
                .add("POST", "/projects/:id/jobs/:job_id/keep", route(keep, AuthRule.PUBLIC_READ))
                .build();
    }

    private static ApiRoute route(Endpoint endpoint, AuthRule rule) {
        return new ApiRoute(endpoint, rule);
    }
}
