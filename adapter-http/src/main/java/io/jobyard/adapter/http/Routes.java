package io.jobyard.adapter.http;

import io.jobyard.adapter.http.admin.CreateOwnTokenEndpoint;
import io.jobyard.adapter.http.admin.CreateProjectEndpoint;
import io.jobyard.adapter.http.admin.CreateTokenEndpoint;
import io.jobyard.adapter.http.admin.CreateUserEndpoint;
import io.jobyard.adapter.http.admin.CurrentUserEndpoint;
import io.jobyard.adapter.http.admin.GetMemberEndpoint;
import io.jobyard.adapter.http.admin.GetProjectEndpoint;
import io.jobyard.adapter.http.admin.GetUserEndpoint;
import io.jobyard.adapter.http.admin.ListMembersEndpoint;
import io.jobyard.adapter.http.admin.ListProjectsEndpoint;
import io.jobyard.adapter.http.admin.ListTokensEndpoint;
import io.jobyard.adapter.http.admin.ListUsersEndpoint;
import io.jobyard.adapter.http.admin.MetadataEndpoint;
import io.jobyard.adapter.http.admin.PutMemberEndpoint;
import io.jobyard.adapter.http.admin.RemoveMemberEndpoint;
import io.jobyard.adapter.http.admin.TokenEndpoints;
import io.jobyard.adapter.http.admin.UpdateProjectEndpoint;
import io.jobyard.adapter.http.admin.UserStateEndpoints;
import io.jobyard.adapter.http.auth.AuthRule;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.endpoint.ArtifactTreeEndpoint;
import io.jobyard.adapter.http.endpoint.CancelJobEndpoint;
import io.jobyard.adapter.http.endpoint.CurrentJobEndpoint;
import io.jobyard.adapter.http.endpoint.DeleteArtifactsEndpoint;
import io.jobyard.adapter.http.endpoint.DownloadArchiveEndpoint;
import io.jobyard.adapter.http.endpoint.DownloadFileEndpoint;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.GetJobEndpoint;
import io.jobyard.adapter.http.endpoint.JobActionEndpoint;
import io.jobyard.adapter.http.endpoint.JobEventsEndpoint;
import io.jobyard.adapter.http.endpoint.ListPipelineJobsEndpoint;
import io.jobyard.adapter.http.endpoint.ListProjectJobsEndpoint;
import io.jobyard.adapter.http.endpoint.PlayJobEndpoint;
import io.jobyard.adapter.http.endpoint.TraceEndpoint;
import io.jobyard.adapter.http.hook.HookEndpoints;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.pipeline.CiConfigEndpoint;
import io.jobyard.adapter.http.pipeline.CreatePipelineEndpoint;
import io.jobyard.adapter.http.pipeline.GetPipelineEndpoint;
import io.jobyard.adapter.http.pipeline.ListPipelinesEndpoint;
import io.jobyard.adapter.http.pipeline.PipelineActionEndpoint;
import io.jobyard.adapter.http.pipeline.PipelineVariablesEndpoint;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.adapter.http.web.ArtifactPages;
import io.jobyard.adapter.http.web.JobPageEndpoints;
import io.jobyard.adapter.http.web.ListPageEndpoints;
import io.jobyard.adapter.http.web.Pages;
import io.jobyard.adapter.http.web.SignInEndpoints;
import io.jobyard.adapter.http.web.StaticFiles;
import io.jobyard.adapter.http.runner.AppendTraceEndpoint;
import io.jobyard.adapter.http.runner.ArtifactUploadEndpoint;
import io.jobyard.adapter.http.runner.CreateRunnerEndpoint;
import io.jobyard.adapter.http.runner.DeleteRunnerEndpoint;
import io.jobyard.adapter.http.runner.DownloadDependencyEndpoint;
import io.jobyard.adapter.http.runner.RegisterRunnerEndpoint;
import io.jobyard.adapter.http.runner.RequestJobEndpoint;
import io.jobyard.adapter.http.runner.RunnerByIdEndpoint;
import io.jobyard.adapter.http.runner.UpdateJobEndpoint;
import io.jobyard.adapter.http.runner.VerifyRunnerEndpoint;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.jobyard.application.port.in.runner.RunnersUseCase;

import static io.jobyard.adapter.http.auth.AuthRule.PUBLIC_READ;
import static io.jobyard.adapter.http.auth.AuthRule.PUBLIC_READ_OR_JOB_TOKEN;
import static io.jobyard.adapter.http.auth.AuthRule.ROTATION;
import static io.jobyard.adapter.http.auth.AuthRule.RUNNER_TOKEN;
import static io.jobyard.adapter.http.auth.AuthRule.SELF_ROTATION;
import static io.jobyard.adapter.http.auth.AuthRule.SELF_TOKEN;
import static io.jobyard.adapter.http.auth.AuthRule.USER;
import static io.jobyard.adapter.http.auth.AuthRule.USER_OR_JOB_TOKEN;

/**
 * Every route Jobyard serves, in one table: method, full path template, who may call it ({@link AuthRule}, GitLab's
 * {@code authenticate!}, {@code authenticate_non_get!}, {@code job_token_allowed}...) and the endpoint. Grouped as
 * GitLab's sources are, so a route is found where GitLab defines it. A new route is one line in its group.
 *
 * <p>Templates are full paths from where the host mounts Jobyard, so routes outside the API ({@code /:namespace/
 * :project/-/jobs/:id} pages, event streams) belong in this same table. Order does not matter: of the routes that
 * match a path, the most specific template wins (a literal segment over a parameter: {@code .../jobs/artifacts/...}
 * over {@code .../jobs/:job_id/...}, {@code /personal_access_tokens/self} over {@code /personal_access_tokens/:id}),
 * and a route that another would hide is refused when the table is built ({@link Router.Builder#add}).
 */
final class Routes {
    /** lib/api/api.rb mounts the API here. */
    static final String API = "/api/v4";

    private Routes() {
    }

    /** @param pages what the web pages share, or null when no pages are served */
    static Router<ApiRoute> table(JobsApi.Groups groups, HttpSettings settings, Pages pages) {
        WebUrls urls = new WebUrls(settings.baseUrl());
        long offsetLimit = settings.offsetPaginationLimit();
        Table t = new Table();
        if (groups.jobs() != null) {
            ArtifactsUseCase artifacts = groups.jobs().artifacts();
            JobActionsUseCase actions = groups.jobs().jobActions();
            Endpoint keep = JobActionEndpoint.keep(actions, urls);
            // lib/api/ci/job_artifacts.rb: before { authenticate_non_get! }, downloads job_token_allowed
            t.api("GET", "/projects/:id/jobs/artifacts/:ref_name+/download", PUBLIC_READ_OR_JOB_TOKEN,
                    DownloadArchiveEndpoint.byRef(artifacts));
            t.api("GET", "/projects/:id/jobs/artifacts/:ref_name+/raw/*artifact_path", PUBLIC_READ_OR_JOB_TOKEN,
                    DownloadFileEndpoint.byRef(artifacts));
            t.api("GET", "/projects/:id/jobs/:job_id/artifacts", PUBLIC_READ_OR_JOB_TOKEN,
                    DownloadArchiveEndpoint.byJob(artifacts));
            t.api("GET", "/projects/:id/jobs/:job_id/artifacts/*artifact_path", PUBLIC_READ_OR_JOB_TOKEN,
                    DownloadFileEndpoint.byJob(artifacts));
            // Jobyard's own: an archive's entries from the index built at upload, authorized as raw/*artifact_path
            t.api("GET", "/projects/:id/jobs/:job_id/artifacts_tree", PUBLIC_READ_OR_JOB_TOKEN,
                    ArtifactTreeEndpoint.byJob(artifacts));
            t.api("GET", "/projects/:id/jobs/artifacts/:ref_name+/tree", PUBLIC_READ_OR_JOB_TOKEN,
                    ArtifactTreeEndpoint.byRef(artifacts));
            t.api("POST", "/projects/:id/jobs/:job_id/artifacts/keep", PUBLIC_READ, keep);
            t.api("DELETE", "/projects/:id/jobs/:job_id/artifacts", PUBLIC_READ, DeleteArtifactsEndpoint.ofJob(artifacts));
            t.api("DELETE", "/projects/:id/artifacts", PUBLIC_READ, DeleteArtifactsEndpoint.ofProject(artifacts));
            // gitlab4j-api posts keep-artifacts here (GitLab itself answers 404); contract §8.5
            t.api("POST", "/projects/:id/jobs/:job_id/keep", PUBLIC_READ, keep);

            // lib/api/ci/jobs.rb: before { authenticate! }; the list and GET /job job_token_allowed
            t.api("GET", "/projects/:id/jobs", USER_OR_JOB_TOKEN,
                    new ListProjectJobsEndpoint(groups.jobs().listJobs(), urls, offsetLimit));
            if (groups.jobs().jobEvents() != null) {
                // Jobyard's own (issue 16): the jobs list's status changes as server-sent events, visible as the list
                t.api("GET", "/projects/:id/jobs/events", USER_OR_JOB_TOKEN,
                        new JobEventsEndpoint(groups.jobs().jobEvents()));
            }
            t.api("GET", "/projects/:id/jobs/:job_id", USER, new GetJobEndpoint(groups.jobs().getJob(), urls));
            // ...and with Accept: text/event-stream, the log followed live (issue 16)
            t.api("GET", "/projects/:id/jobs/:job_id/trace", USER,
                    new TraceEndpoint(groups.jobs().readTrace(), groups.jobs().followTrace()));
            t.api("POST", "/projects/:id/jobs/:job_id/cancel", USER, new CancelJobEndpoint(actions, urls));
            t.api("POST", "/projects/:id/jobs/:job_id/retry", USER, JobActionEndpoint.retry(actions, urls));
            t.api("POST", "/projects/:id/jobs/:job_id/erase", USER, JobActionEndpoint.erase(actions, urls));
            t.api("POST", "/projects/:id/jobs/:job_id/play", USER, new PlayJobEndpoint(actions, urls));
            t.api("GET", "/job", USER_OR_JOB_TOKEN, new CurrentJobEndpoint(groups.jobs().getJob(), urls));

            // lib/api/ci/pipelines.rb: before { authenticate_non_get! }, the pipeline's jobs job_token_allowed
            t.api("GET", "/projects/:id/pipelines/:pipeline_id/jobs", PUBLIC_READ_OR_JOB_TOKEN,
                    new ListPipelineJobsEndpoint(groups.jobs().listJobs(), urls, offsetLimit));
        }
        if (groups.pipelines() != null) {
            PipelinesUseCase pipelines = groups.pipelines().pipelines();
            // lib/api/ci/pipelines.rb: before { authenticate_non_get! }; CI job tokens are not taken here
            t.api("POST", "/projects/:id/pipeline", PUBLIC_READ,
                    new CreatePipelineEndpoint(groups.pipelines().createPipeline(), pipelines, urls));
            t.api("GET", "/projects/:id/pipelines", PUBLIC_READ, new ListPipelinesEndpoint(pipelines, urls));
            t.api("GET", "/projects/:id/pipelines/:pipeline_id", PUBLIC_READ, new GetPipelineEndpoint(pipelines, urls));
            t.api("POST", "/projects/:id/pipelines/:pipeline_id/retry", PUBLIC_READ,
                    new PipelineActionEndpoint(pipelines, PipelineActionEndpoint.Action.RETRY, urls));
            t.api("POST", "/projects/:id/pipelines/:pipeline_id/cancel", PUBLIC_READ,
                    new PipelineActionEndpoint(pipelines, PipelineActionEndpoint.Action.CANCEL, urls));
            t.api("GET", "/projects/:id/pipelines/:pipeline_id/variables", PUBLIC_READ,
                    new PipelineVariablesEndpoint(pipelines));
            // Jobyard's own: the stored .gitlab-ci.yml (Jobyard holds no repositories)
            t.api("GET", "/projects/:id/ci_config", PUBLIC_READ, CiConfigEndpoint.read(groups.pipelines().ciConfig()));
            t.api("PUT", "/projects/:id/ci_config", PUBLIC_READ, CiConfigEndpoint.store(groups.pipelines().ciConfig()));
        }
        if (groups.runners() != null) {
            RunnersUseCase runners = groups.runners().runners();
            // lib/api/ci/runners.rb: the runner-creation workflow and cutting a runner off, for users
            t.api("POST", "/user/runners", USER, new CreateRunnerEndpoint(runners));
            t.api("DELETE", "/runners/:id", USER, RunnerByIdEndpoint.delete(runners));
            t.api("POST", "/runners/:id/reset_authentication_token", USER, RunnerByIdEndpoint.resetToken(runners));

            // lib/api/ci/runner.rb: authenticate_runner! / authenticate_job! inside each route
            t.api("POST", "/runners", RUNNER_TOKEN, new RegisterRunnerEndpoint(runners));
            t.api("POST", "/runners/verify", RUNNER_TOKEN, new VerifyRunnerEndpoint(runners));
            t.api("DELETE", "/runners", RUNNER_TOKEN, new DeleteRunnerEndpoint(runners));
            t.api("POST", "/jobs/request", RUNNER_TOKEN,
                    new RequestJobEndpoint(groups.runners().requestJob(), groups.longPolling()));
            t.api("PUT", "/jobs/:id", RUNNER_TOKEN, new UpdateJobEndpoint(groups.runners().updateJob()));
            t.api("PATCH", "/jobs/:id/trace", RUNNER_TOKEN, new AppendTraceEndpoint(groups.runners().appendTrace()));
            t.api("POST", "/jobs/:id/artifacts", RUNNER_TOKEN,
                    new ArtifactUploadEndpoint(groups.runners().uploadArtifact(), groups.uploads()));
            t.api("GET", "/jobs/:id/artifacts", RUNNER_TOKEN,
                    new DownloadDependencyEndpoint(groups.runners().downloadDependency()));
        }
        if (groups.admin() != null) {
            UsersUseCase users = groups.admin().users();
            ProjectsUseCase projects = groups.admin().projects();
            MembersUseCase members = groups.admin().members();
            AccessTokensUseCase tokens = groups.admin().accessTokens();
            // lib/api/users.rb: before { authenticate_non_get! }, then each read decides about anonymous callers
            t.api("GET", "/users", PUBLIC_READ, new ListUsersEndpoint(users, urls));
            t.api("POST", "/users", USER, new CreateUserEndpoint(users, groups.admin().passwords(), urls));
            t.api("GET", "/users/:id", PUBLIC_READ, new GetUserEndpoint(users, urls));
            t.api("POST", "/users/:user_id/personal_access_tokens", USER, new CreateTokenEndpoint(tokens));
            t.api("POST", "/users/:id/block", USER, UserStateEndpoints.block(users));
            t.api("POST", "/users/:id/unblock", USER, UserStateEndpoints.unblock(users));
            t.api("POST", "/users/:id/deactivate", USER, UserStateEndpoints.deactivate(users));
            t.api("POST", "/users/:id/activate", USER, UserStateEndpoints.activate(users));
            t.api("DELETE", "/users/:id", USER, UserStateEndpoints.delete(users));
            t.api("GET", "/user", USER, new CurrentUserEndpoint(users, urls));
            t.api("POST", "/user/personal_access_tokens", USER, new CreateOwnTokenEndpoint(tokens));

            // lib/api/metadata.rb, lib/api/version.rb: authenticate!
            t.api("GET", "/metadata", USER, new MetadataEndpoint());
            t.api("GET", "/version", USER, new MetadataEndpoint());

            // lib/api/personal_access_tokens.rb, personal_access_tokens/self_information.rb, self_rotation.rb
            t.api("GET", "/personal_access_tokens", USER, new ListTokensEndpoint(tokens));
            t.api("GET", "/personal_access_tokens/self", SELF_TOKEN, TokenEndpoints.getSelf(tokens));
            t.api("DELETE", "/personal_access_tokens/self", SELF_TOKEN, TokenEndpoints.revokeSelf(tokens));
            t.api("POST", "/personal_access_tokens/self/rotate", SELF_ROTATION, TokenEndpoints.rotateSelf(tokens));
            t.api("GET", "/personal_access_tokens/:id", USER, TokenEndpoints.get(tokens));
            t.api("DELETE", "/personal_access_tokens/:id", USER, TokenEndpoints.revoke(tokens));
            t.api("POST", "/personal_access_tokens/:id/rotate", ROTATION, TokenEndpoints.rotate(tokens));

            // lib/api/projects.rb: before { authenticate_non_get! }
            t.api("GET", "/projects", PUBLIC_READ, new ListProjectsEndpoint(projects, urls));
            t.api("POST", "/projects", USER, new CreateProjectEndpoint(projects, urls));
            t.api("GET", "/projects/:id", PUBLIC_READ, new GetProjectEndpoint(projects, urls));
            t.api("PUT", "/projects/:id", USER, new UpdateProjectEndpoint(projects, urls));

            // lib/api/members.rb: before { authenticate! }
            t.api("GET", "/projects/:id/members", USER, new ListMembersEndpoint(members, urls));
            t.api("POST", "/projects/:id/members", USER, new PutMemberEndpoint(members, urls));
            t.api("GET", "/projects/:id/members/:user_id", USER, new GetMemberEndpoint(members, urls));
            t.api("DELETE", "/projects/:id/members/:user_id", USER, new RemoveMemberEndpoint(members));

            HookEndpoints hooks = groups.admin().hooks();
            if (hooks != null) {
                // lib/api/project_hooks.rb: authenticate!, authorize_admin_project
                t.api("GET", "/projects/:id/hooks", USER, hooks.list());
                t.api("POST", "/projects/:id/hooks", USER, hooks.create());
                t.api("GET", "/projects/:id/hooks/:hook_id", USER, hooks.get());
                t.api("PUT", "/projects/:id/hooks/:hook_id", USER, hooks.update());
                t.api("DELETE", "/projects/:id/hooks/:hook_id", USER, hooks.delete());
                t.api("POST", "/projects/:id/hooks/:hook_id/test/:trigger", USER, hooks.test());
                t.api("GET", "/projects/:id/hooks/:hook_id/events", USER, hooks.events());
                // lib/api/settings.rb: administrators only
                t.api("GET", "/application/settings", USER, hooks.getSettings());
                t.api("PUT", "/application/settings", USER, hooks.putSettings());
            }
        }
        if (groups.web() != null && pages != null) {
            // config/routes/user.rb (Devise): sign in and out
            SignInEndpoints signIn = new SignInEndpoints(pages, groups.web().signIn());
            t.page("GET", "/users/sign_in", signIn.form());
            t.page("POST", "/users/sign_in", signIn.submit());
            t.page("POST", "/users/sign_out", signIn.signOut());
            // Jobyard's own: the pages' stylesheet and script (the CSP allows nothing inline)
            t.page("GET", "/-/static/:file", new StaticFiles().endpoint());
            if (groups.jobs() != null) {
                // config/routes/project.rb: resources :jobs under /-/ (Projects::JobsController)
                JobPageEndpoints jobPages = new JobPageEndpoints(pages, groups.jobs().getJob(),
                        groups.jobs().readTrace(), groups.jobs().jobActions(),
                        groups.admin() == null ? null : groups.admin().projects());
                t.page("GET", "/:project~/-/jobs/:id", jobPages.page());
                t.page("GET", "/:project~/-/jobs/:id/raw", jobPages.raw());
                t.page("GET", "/:project~/-/jobs/:id/log", jobPages.fragment());
                for (String action : new String[] {"retry", "cancel", "play", "erase"}) {
                    t.page("POST", "/:project~/-/jobs/:id/" + action, jobPages.action(action));
                }
                t.page("POST", "/:project~/-/jobs/:id/artifacts/keep", jobPages.action("keep"));
                t.page("GET", "/:project~/-/jobs/:id/artifacts/download", jobPages.download(groups.jobs().artifacts()));
                ArtifactPages artifactPages = new ArtifactPages(pages, groups.jobs().getJob(), groups.jobs().artifacts());
                t.page("GET", "/:project~/-/jobs/:id/artifacts/browse", artifactPages.browse(true));
                t.page("GET", "/:project~/-/jobs/:id/artifacts/browse/*path", artifactPages.browse(false));
                t.page("GET", "/:project~/-/jobs/:id/artifacts/raw/*path", artifactPages.raw());
            }
            if (groups.jobs() != null && groups.pipelines() != null && groups.admin() != null) {
                // the dashboard's projects, Projects::JobsController#index, Projects::PipelinesController
                ListPageEndpoints lists = new ListPageEndpoints(pages, groups.admin().projects(),
                        groups.jobs().listJobs(), groups.pipelines().pipelines());
                t.page("GET", "/", lists.projects());
                t.page("GET", "/:project~/-/jobs", lists.jobs());
                t.page("GET", "/:project~/-/pipelines", lists.pipelineList());
                t.page("GET", "/:project~/-/pipelines/:id", lists.pipeline());
            }
        }
        return t.routes.build();
    }

    /** The table being filled. */
    private static final class Table {
        private final Router.Builder<ApiRoute> routes = Router.builder();

        /** A web page, at GitLab's path from the mount point: session cookie, CSRF-checked forms, HTML errors. */
        void page(String method, String template, Endpoint endpoint) {
            routes.add(method, template, new ApiRoute(endpoint, AuthRule.WEB));
        }

        /** A route of GitLab's REST API, under {@link #API}. */
        void api(String method, String template, AuthRule rule, Endpoint endpoint) {
            routes.add(method, API + template, new ApiRoute(endpoint, rule));
        }
    }
}
