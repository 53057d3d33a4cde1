package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.runner.AppendTraceUseCase;
import io.jobyard.application.port.in.runner.DownloadDependencyUseCase;
import io.jobyard.application.port.in.runner.RequestJobUseCase;
import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.application.port.in.runner.UpdateJobUseCase;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase;
import io.undertow.server.HttpHandler;

import java.nio.file.Path;
import java.util.Objects;

/**
 * GitLab's runner protocol ({@code lib/api/ci/runner.rb}, {@code lib/api/ci/runners.rb}, contract §5) as one Undertow
 * {@link HttpHandler}, mounted under the same API prefix as the Jobs API and chained with it:
 * <pre>{@code
 * HttpHandler runner = new RunnerApi(runnerUseCases, settings).handler();       // unknown paths: 404 {"error":...}
 * HttpHandler api = jobsApi.handler(runner);                                     // Jobs API first, runner routes next
 * Handlers.path().addPrefixPath("/api/v4", api);
 * }</pre>
 * The two route sets are disjoint, so either may come first. Like the Jobs API, the handler dispatches itself to a
 * worker thread and reads the raw request path, so {@code UndertowOptions.DECODE_URL} may be on or off.
 */
public final class RunnerApi {
    private final Router<RunnerEndpoint> router;
    private final HttpSettings settings;

    /** The inbound ports the runner protocol calls. */
    public record UseCases(RunnersUseCase runners, RequestJobUseCase requestJob, UpdateJobUseCase updateJob,
                           AppendTraceUseCase appendTrace, UploadArtifactUseCase uploadArtifact,
                           DownloadDependencyUseCase downloadDependency, AuthenticateUseCase authenticate) {
        public UseCases {
            Objects.requireNonNull(runners, "runners");
            Objects.requireNonNull(requestJob, "requestJob");
            Objects.requireNonNull(updateJob, "updateJob");
            Objects.requireNonNull(appendTrace, "appendTrace");
            Objects.requireNonNull(uploadArtifact, "uploadArtifact");
            Objects.requireNonNull(downloadDependency, "downloadDependency");
            Objects.requireNonNull(authenticate, "authenticate");
        }
    }

    /**
     * Where and how much of an artifact upload is spooled before the upload use case sees it.
     *
     * @param tempDirectory where Undertow writes each multipart file part to a temporary file; the part is streamed
     *                      from there into the artifact store and deleted when the request ends
     * @param maxFileBytes  a file part larger than this is refused with 413 while it is still arriving, so a client
     *                      cannot fill the disk (use the artifact size limit the upload use case enforces)
     */
    public record Uploads(Path tempDirectory, long maxFileBytes) {
        public Uploads {
            Objects.requireNonNull(tempDirectory, "tempDirectory");
            if (maxFileBytes <= 0) {
                throw new IllegalArgumentException("maxFileBytes must be positive");
            }
        }

        /** The system's temporary directory and GitLab's default 100 MiB artifact limit. */
        public static Uploads defaults() {
            return new Uploads(Path.of(System.getProperty("java.io.tmpdir")), 100L << 20);
        }
    }

    /** With {@link Uploads#defaults()}. */
    public RunnerApi(UseCases useCases, HttpSettings settings) {
        this(useCases, settings, Uploads.defaults());
    }

    /** Without long polling. */
    public RunnerApi(UseCases useCases, HttpSettings settings, Uploads uploads) {
        this(useCases, settings, uploads, LongPolling.off());
    }

    public RunnerApi(UseCases useCases, HttpSettings settings, Uploads uploads, LongPolling longPolling) {
        Objects.requireNonNull(useCases, "useCases");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.router = routes(useCases, Objects.requireNonNull(uploads, "uploads"),
                Objects.requireNonNull(longPolling, "longPolling"));
    }

    /** The runner API; unknown paths are {@code 404 {"error":"404 Not Found"}}, as GitLab's catch-all answers. */
    public HttpHandler handler() {
        return new RunnerHandler(router, settings, null);
    }

    /** The runner API; paths it has no route for go to {@code fallback} (on a worker thread, in blocking mode). */
    public HttpHandler handler(HttpHandler fallback) {
        return new RunnerHandler(router, settings, Objects.requireNonNull(fallback, "fallback"));
    }

    static Router<RunnerEndpoint> routes(UseCases useCases, Uploads uploads, LongPolling longPolling) {
        Authenticator users = new Authenticator(useCases.authenticate());
        return Router.<RunnerEndpoint>builder()
                // lib/api/ci/runners.rb (runner-creation workflow) and lib/api/ci/runner.rb (runner auth)
                .add("POST", "/user/runners", new CreateRunnerEndpoint(useCases.runners(), users))
                .add("POST", "/runners", new RegisterRunnerEndpoint(useCases.runners()))
                .add("POST", "/runners/verify", new VerifyRunnerEndpoint(useCases.runners()))
                .add("DELETE", "/runners", new DeleteRunnerEndpoint(useCases.runners()))
                // lib/api/ci/runners.rb: an administrator (or a project's Maintainer) cuts a runner off
                .add("DELETE", "/runners/:id", RunnerByIdEndpoint.delete(useCases.runners(), users))
                .add("POST", "/runners/:id/reset_authentication_token",
                        RunnerByIdEndpoint.resetToken(useCases.runners(), users))
                // lib/api/ci/runner.rb: the job protocol
                .add("POST", "/jobs/request", new RequestJobEndpoint(useCases.requestJob(), longPolling))
                .add("PUT", "/jobs/:id", new UpdateJobEndpoint(useCases.updateJob()))
                .add("PATCH", "/jobs/:id/trace", new AppendTraceEndpoint(useCases.appendTrace()))
                .add("POST", "/jobs/:id/artifacts", new ArtifactUploadEndpoint(useCases.uploadArtifact(), uploads))
                .add("GET", "/jobs/:id/artifacts", new DownloadDependencyEndpoint(useCases.downloadDependency()))
                .build();
    }
}
