package io.jobyard.adapter.http;

import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.hook.HookEndpoints;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.adapter.http.runner.LongPolling;
import io.jobyard.adapter.http.throttle.FailedAuthenticationGuard;
import io.jobyard.adapter.http.throttle.FailedAuthenticationThrottle;
import io.jobyard.adapter.http.web.Pages;
import io.jobyard.adapter.http.web.Templates;
import io.jobyard.adapter.http.web.WebErrors;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.in.auth.AccessChecks;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.job.GetJobUseCase;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.application.port.in.pipeline.CiConfigUseCase;
import io.jobyard.application.port.in.pipeline.CreatePipelineFromConfigUseCase;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.jobyard.application.port.in.runner.AppendTraceUseCase;
import io.jobyard.application.port.in.runner.DownloadDependencyUseCase;
import io.jobyard.application.port.in.runner.RequestJobUseCase;
import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.application.port.in.runner.UpdateJobUseCase;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase;
import io.jobyard.application.port.in.live.FollowJobEventsUseCase;
import io.jobyard.application.port.in.live.FollowTraceUseCase;
import io.jobyard.application.port.in.session.PasswordsUseCase;
import io.jobyard.application.port.in.trace.ReadTraceUseCase;
import io.jobyard.application.port.in.session.SignInUseCase;
import io.jobyard.application.port.in.session.WebSessionUseCase;
import io.undertow.server.HttpHandler;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * GitLab's API (v4) — the Jobs API, the runner protocol, pipelines and the admin surface — as one Undertow
 * {@link HttpHandler}: the {@link Routes} table behind the one request pipeline. Give it the use cases of the route
 * groups to serve; a group left out has no routes.
 *
 * <p>The routes are full paths ({@code /api/v4/projects/:id/jobs}), so mount the handler at the root of what the
 * host serves for Jobyard and compose it with the host's own routes:
 * <pre>{@code
 * JobsApi api = JobsApi.builder(HttpSettings.of(URI.create("https://ci.example.com")), Clock.systemUTC(), authenticate)
 *         .jobs(jobUseCases).runners(runnerUseCases, uploads, longPolling).pipelines(pipelineUseCases)
 *         .admin(adminUseCases).build();
 * HttpHandler root = Handlers.path(api.handler())
 *         .addExactPath("/-/health", health);
 * Undertow.builder()
 *         .setServerOption(UndertowOptions.DECODE_URL, false)   // recommended: routing reads the raw path anyway
 *         .addHttpListener(8080, "0.0.0.0").setHandler(root).build().start();
 * }</pre>
 * Routing reads the raw request URI and removes the host's mount prefix itself, so it is right whether or not the
 * server decodes URLs, provided {@code UndertowOptions.ALLOW_ENCODED_SLASH} stays false (the default): a project path
 * {@code group%2Fproject} must reach the router as one segment. {@link #handler(HttpHandler)} passes paths no route
 * knows to the host's handler instead of answering them 404, for hosts that serve more under the same prefix. The
 * handler dispatches itself to a worker thread; the host need not wrap it in a {@code BlockingHandler}.
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
    private final Router<ApiRoute> routes;
    private final Authenticator authenticator;
    private final HttpSettings settings;
    private final Clock clock;
    private final FailedAuthenticationGuard guard;
    private final AccessChecks accessChecks;
    /** Null without web pages. */
    private final WebErrors webErrors;

    /**
     * What the Jobs API's routes call (lib/api/ci/jobs.rb, job_artifacts.rb); {@code followTrace} (the trace as
     * server-sent events, issue 16) may be null to serve the plain trace only, {@code jobEvents} (a project's job
     * events as server-sent events) null to serve no event stream.
     */
    public record JobUseCases(ListJobsUseCase listJobs, GetJobUseCase getJob, ReadTraceUseCase readTrace,
                              JobActionsUseCase jobActions, ArtifactsUseCase artifacts,
                              FollowTraceUseCase followTrace, FollowJobEventsUseCase jobEvents) {
        public JobUseCases {
            Objects.requireNonNull(listJobs, "listJobs");
            Objects.requireNonNull(getJob, "getJob");
            Objects.requireNonNull(readTrace, "readTrace");
            Objects.requireNonNull(jobActions, "jobActions");
            Objects.requireNonNull(artifacts, "artifacts");
        }

        /** Without live streams. */
        public JobUseCases(ListJobsUseCase listJobs, GetJobUseCase getJob, ReadTraceUseCase readTrace,
                           JobActionsUseCase jobActions, ArtifactsUseCase artifacts) {
            this(listJobs, getJob, readTrace, jobActions, artifacts, null, null);
        }
    }

    /** What the runner protocol's routes call (lib/api/ci/runner.rb, runners.rb; contract §5). */
    public record RunnerUseCases(RunnersUseCase runners, RequestJobUseCase requestJob, UpdateJobUseCase updateJob,
                                 AppendTraceUseCase appendTrace, UploadArtifactUseCase uploadArtifact,
                                 DownloadDependencyUseCase downloadDependency) {
        public RunnerUseCases {
            Objects.requireNonNull(runners, "runners");
            Objects.requireNonNull(requestJob, "requestJob");
            Objects.requireNonNull(updateJob, "updateJob");
            Objects.requireNonNull(appendTrace, "appendTrace");
            Objects.requireNonNull(uploadArtifact, "uploadArtifact");
            Objects.requireNonNull(downloadDependency, "downloadDependency");
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

    /** What the pipeline routes call (lib/api/ci/pipelines.rb) and Jobyard's stored configuration route. */
    public record PipelineUseCases(CreatePipelineFromConfigUseCase createPipeline, PipelinesUseCase pipelines,
                                   CiConfigUseCase ciConfig) {
        public PipelineUseCases {
            Objects.requireNonNull(createPipeline, "createPipeline");
            Objects.requireNonNull(pipelines, "pipelines");
            Objects.requireNonNull(ciConfig, "ciConfig");
        }
    }

    /**
     * What the admin surface calls: users, tokens, projects, members, metadata; {@code hooks} (project hooks and
     * application settings, issue 19) may be null to serve none; {@code passwords} stores {@code POST /users}'s
     * {@code password} hashed, and may be null where no passwords are kept (the parameter is then ignored).
     */
    public record AdminUseCases(UsersUseCase users, ProjectsUseCase projects, MembersUseCase members,
                                AccessTokensUseCase accessTokens, HookEndpoints hooks, PasswordsUseCase passwords) {
        public AdminUseCases {
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(projects, "projects");
            Objects.requireNonNull(members, "members");
            Objects.requireNonNull(accessTokens, "accessTokens");
        }

        /** Without passwords: {@code POST /users} ignores its {@code password}. */
        public AdminUseCases(UsersUseCase users, ProjectsUseCase projects, MembersUseCase members,
                             AccessTokensUseCase accessTokens, HookEndpoints hooks) {
            this(users, projects, members, accessTokens, hooks, null);
        }
    }

    /**
     * The web pages at GitLab's paths (the job page every {@code web_url} points to, sign-in): sessions for the pages,
     * and for the API's reads (a page's live log follow), as GitLab's API takes its session cookie.
     */
    public record WebUseCases(SignInUseCase signIn, WebSessionUseCase webSessions) {
        public WebUseCases {
            Objects.requireNonNull(signIn, "signIn");
            Objects.requireNonNull(webSessions, "webSessions");
        }
    }

    /** The groups a {@link JobsApi} serves; each is null when it is left out. */
    record Groups(JobUseCases jobs, RunnerUseCases runners, Uploads uploads, LongPolling longPolling,
                  PipelineUseCases pipelines, AdminUseCases admin, WebUseCases web) {
    }

    private JobsApi(Builder builder) {
        this.settings = builder.settings;
        this.clock = builder.clock;
        this.authenticator = new Authenticator(builder.authenticate,
                builder.web == null ? null : builder.web.webSessions());
        this.accessChecks = builder.accessChecks;
        this.guard = builder.throttle == null ? null : new FailedAuthenticationGuard(builder.throttle, clock);
        Pages pages = builder.web == null ? null : new Pages(new Templates(), builder.web.webSessions(), settings);
        this.webErrors = pages == null ? null : new WebErrors(pages);
        this.routes = Routes.table(new Groups(builder.jobs, builder.runners, builder.uploads, builder.longPolling,
                builder.pipelines, builder.admin, builder.web), settings, pages);
    }

    /**
     * @param authenticate how every route that identifies its caller turns credentials into an actor (the runner
     *                     protocol's routes check their runner and job tokens in their use cases instead)
     */
    public static Builder builder(HttpSettings settings, Clock clock, AuthenticateUseCase authenticate) {
        return new Builder(settings, clock, authenticate);
    }

    /** Every route; unknown paths are {@code 404 {"error":"404 Not Found"}}, as GitLab's catch-all route answers. */
    public HttpHandler handler() {
        return new ApiPipeline(routes, authenticator, settings, clock, null, guard, webErrors, accessChecks);
    }

    /** Every route; paths no route has go to {@code fallback} (which runs on a worker thread, in blocking mode). */
    public HttpHandler handler(HttpHandler fallback) {
        return new ApiPipeline(routes, authenticator, settings, clock, Objects.requireNonNull(fallback, "fallback"),
                guard, webErrors, accessChecks);
    }

    /** The routes served, for tests and tooling. */
    public List<Router.Route<ApiRoute>> routes() {
        return routes.routes();
    }

    /** Which route groups to serve. */
    public static final class Builder {
        private final HttpSettings settings;
        private final Clock clock;
        private final AuthenticateUseCase authenticate;
        private JobUseCases jobs;
        private RunnerUseCases runners;
        private Uploads uploads;
        private LongPolling longPolling;
        private PipelineUseCases pipelines;
        private AdminUseCases admin;
        private WebUseCases web;
        private FailedAuthenticationThrottle throttle;
        private AccessChecks accessChecks = AccessChecks.EVERY_TIME;

        private Builder(HttpSettings settings, Clock clock, AuthenticateUseCase authenticate) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.clock = Objects.requireNonNull(clock, "clock (live durations of running jobs are measured to it)");
            this.authenticate = Objects.requireNonNull(authenticate, "authenticate");
        }

        public Builder jobs(JobUseCases value) {
            jobs = Objects.requireNonNull(value, "jobs");
            return this;
        }

        /** The runner protocol, without long polling of {@code POST /jobs/request}. */
        public Builder runners(RunnerUseCases value, Uploads uploadSpool) {
            return runners(value, uploadSpool, LongPolling.off());
        }

        public Builder runners(RunnerUseCases value, Uploads uploadSpool, LongPolling polling) {
            runners = Objects.requireNonNull(value, "runners");
            uploads = Objects.requireNonNull(uploadSpool, "uploads");
            longPolling = Objects.requireNonNull(polling, "longPolling");
            return this;
        }

        public Builder pipelines(PipelineUseCases value) {
            pipelines = Objects.requireNonNull(value, "pipelines");
            return this;
        }

        public Builder admin(AdminUseCases value) {
            admin = Objects.requireNonNull(value, "admin");
            return this;
        }

        /** The web pages and sign-in (with the jobs group: the job pages; with pipelines: the pipeline pages). */
        public Builder web(WebUseCases value) {
            web = Objects.requireNonNull(value, "web");
            return this;
        }

        /**
         * GitLab's failed-authentication throttle (Rack::Attack) in front of every route: a client address presenting
         * too many different unknown tokens is answered 429 until its ban ends. Counts are kept in {@code value}, so
         * handlers of one API share them.
         */
        public Builder failedAuthenticationThrottle(FailedAuthenticationThrottle value) {
            throttle = Objects.requireNonNull(value, "throttle");
            return this;
        }

        /**
         * Brackets each request served whole (not one streaming its body), so its access checks read the access
         * version once; without it every check reads.
         */
        public Builder accessChecks(AccessChecks value) {
            accessChecks = Objects.requireNonNull(value, "accessChecks");
            return this;
        }

        public JobsApi build() {
            return new JobsApi(this);
        }
    }
}
