package io.jobyard.adapter.http;

import io.jobyard.adapter.http.auth.AuthRule;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.hook.HookEndpoints;
import io.jobyard.adapter.http.routing.PathPattern;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.runner.AppendTraceUseCase;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.pipeline.CiConfigUseCase;
import io.jobyard.application.port.in.pipeline.CreatePipelineFromConfigUseCase;
import io.jobyard.application.port.in.runner.DownloadDependencyUseCase;
import io.jobyard.application.port.in.job.GetJobUseCase;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.jobyard.application.port.in.trace.ReadTraceUseCase;
import io.jobyard.application.port.in.runner.RequestJobUseCase;
import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.application.port.in.runner.UpdateJobUseCase;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.in.hook.ApplicationSettingsUseCase;
import io.jobyard.application.port.in.hook.HooksUseCase;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one route table as production builds it (every group): each route is reachable — a request made for it is
 * routed to it and to no other — and none hides another.
 */
class RoutesTest {
    private static final Pattern PARAMETER = Pattern.compile("(:[a-z_]+\\+?|\\*[a-z_]+)");

    /** Every route of every group; the use cases are never called here. */
    static JobsApi everything() {
        return JobsApi.builder(HttpSettings.of(URI.create("https://ci.example.com")), Clock.systemUTC(),
                        unused(AuthenticateUseCase.class))
                .jobs(new JobsApi.JobUseCases(unused(ListJobsUseCase.class), unused(GetJobUseCase.class),
                        unused(ReadTraceUseCase.class), unused(JobActionsUseCase.class),
                        unused(ArtifactsUseCase.class)))
                .runners(new JobsApi.RunnerUseCases(unused(RunnersUseCase.class), unused(RequestJobUseCase.class),
                        unused(UpdateJobUseCase.class), unused(AppendTraceUseCase.class),
                        unused(UploadArtifactUseCase.class), unused(DownloadDependencyUseCase.class)),
                        new JobsApi.Uploads(Path.of(System.getProperty("java.io.tmpdir")), 1024))
                .pipelines(new JobsApi.PipelineUseCases(unused(CreatePipelineFromConfigUseCase.class),
                        unused(PipelinesUseCase.class), unused(CiConfigUseCase.class)))
                .admin(new JobsApi.AdminUseCases(unused(UsersUseCase.class), unused(ProjectsUseCase.class),
                        unused(MembersUseCase.class), unused(AccessTokensUseCase.class),
                        new HookEndpoints(unused(HooksUseCase.class), unused(ApplicationSettingsUseCase.class),
                        Clock.systemUTC())))
                .build();
    }

    private final List<Router.Route<ApiRoute>> routes = everything().routes();
    private final Router<ApiRoute> router = rebuilt(routes);

    @Test
    void everyRouteIsMatchedByItsOwnRequestAndByNoOtherOfTheSameRank() {
        assertThat(routes).hasSizeGreaterThan(70);
        for (Router.Route<ApiRoute> route : routes) {
            for (String path : samples(route.pattern())) {
                Router.Resolution<ApiRoute> resolution = router.resolve(route.method(), path);
                assertThat(resolution).as("%s %s", route.method(), path).isInstanceOf(Router.Matched.class);
                assertThat(key(((Router.Matched<ApiRoute>) resolution).route()))
                        .as("%s %s is routed to its own route", route.method(), path).isEqualTo(key(route));
                List<Router.Route<ApiRoute>> rivals = new ArrayList<>();
                for (Router.Route<ApiRoute> other : routes) {
                    if (other != route && other.answers(route.method()) && other.pattern().match(path).isPresent()) {
                        rivals.add(other);
                    }
                }
                for (Router.Route<ApiRoute> rival : rivals) {
                    assertThat(route.pattern().compareSpecificity(rival.pattern()))
                            .as("%s %s also matches %s, which must rank lower", route.method(), path, rival.pattern())
                            .isPositive();
                }
            }
            if (route.method().equals("GET")) {
                String path = samples(route.pattern()).get(0);
                assertThat(key(((Router.Matched<ApiRoute>) router.resolve("HEAD", path)).route())).isEqualTo(key(route));
            }
        }
    }

    @Test
    void everyRouteIsUnderTheApiAndSaysWhoMayCallIt() {
        for (Router.Route<ApiRoute> route : routes) {
            assertThat(route.pattern().template()).startsWith(Routes.API + "/");
            assertThat(route.target().auth()).isNotNull();
        }
        // The runner protocol's job routes check their own tokens; the users' runner routes are authenticate!.
        assertThat(rule("PATCH", "/api/v4/jobs/:id/trace")).isEqualTo(AuthRule.RUNNER_TOKEN);
        assertThat(rule("POST", "/api/v4/jobs/request")).isEqualTo(AuthRule.RUNNER_TOKEN);
        assertThat(rule("POST", "/api/v4/user/runners")).isEqualTo(AuthRule.USER);
        assertThat(rule("GET", "/api/v4/projects/:id/jobs/:job_id")).isEqualTo(AuthRule.USER);
        assertThat(rule("GET", "/api/v4/projects/:id/jobs/:job_id/artifacts"))
                .isEqualTo(AuthRule.PUBLIC_READ_OR_JOB_TOKEN);
        // issue 17's archive trees are authorized exactly as the single-file downloads
        assertThat(rule("GET", "/api/v4/projects/:id/jobs/:job_id/artifacts_tree"))
                .isEqualTo(rule("GET", "/api/v4/projects/:id/jobs/:job_id/artifacts/*artifact_path"));
        assertThat(rule("GET", "/api/v4/projects/:id/jobs/artifacts/:ref_name+/tree"))
                .isEqualTo(rule("GET", "/api/v4/projects/:id/jobs/artifacts/:ref_name+/raw/*artifact_path"));
    }

    @Test
    void gitLabsPrecedenceHoldsWhateverTheOrder() {
        assertThat(target("GET", "/api/v4/projects/1/jobs/artifacts/main/download"))
                .isEqualTo("/api/v4/projects/:id/jobs/artifacts/:ref_name+/download");
        assertThat(target("GET", "/api/v4/projects/1/jobs/artifacts/raw/x/raw/out/raw/report.txt"))
                .isEqualTo("/api/v4/projects/:id/jobs/artifacts/:ref_name+/raw/*artifact_path");
        assertThat(target("GET", "/api/v4/projects/1/jobs/artifacts/feature/tree/tree"))
                .isEqualTo("/api/v4/projects/:id/jobs/artifacts/:ref_name+/tree");
        assertThat(target("GET", "/api/v4/projects/1/jobs/artifacts/tree/raw/tree"))
                .isEqualTo("/api/v4/projects/:id/jobs/artifacts/:ref_name+/raw/*artifact_path");
        assertThat(target("GET", "/api/v4/projects/1/jobs/5/artifacts_tree"))
                .isEqualTo("/api/v4/projects/:id/jobs/:job_id/artifacts_tree");
        assertThat(target("GET", "/api/v4/personal_access_tokens/self"))
                .isEqualTo("/api/v4/personal_access_tokens/self");
        assertThat(target("GET", "/api/v4/personal_access_tokens/12")).isEqualTo("/api/v4/personal_access_tokens/:id");
        assertThat(target("PUT", "/api/v4/jobs/request")).isEqualTo("/api/v4/jobs/:id");
        // The same table in reverse order routes every request the same way.
        List<Router.Route<ApiRoute>> backwards = new ArrayList<>(routes);
        Collections.reverse(backwards);
        Router<ApiRoute> reversed = rebuilt(backwards);
        for (Router.Route<ApiRoute> route : routes) {
            for (String path : samples(route.pattern())) {
                assertThat(key(((Router.Matched<ApiRoute>) reversed.resolve(route.method(), path)).route()))
                        .isEqualTo(key(route));
            }
        }
    }

    @Test
    void aRouteThatWouldHideAnotherIsRefusedWhenTheTableIsBuilt() {
        Router.Builder<String> builder = Router.<String>builder()
                .add("GET", "/api/v4/projects/:id/jobs/:job_id", "get job");
        assertThatThrownBy(() -> builder.add("GET", "/api/v4/projects/:project/jobs/:id", "the same, renamed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shadow");
        // Another method on the same path is no conflict.
        builder.add("DELETE", "/api/v4/projects/:id/jobs/:job_id", "delete job");
    }

    /** A route by what identifies it: the rebuilt routers hold equal routes, not the same objects. */
    private static String key(Router.Route<ApiRoute> route) {
        return route.method() + " " + route.pattern().template();
    }

    private AuthRule rule(String method, String template) {
        return routes.stream().filter(r -> r.method().equals(method) && r.pattern().template().equals(template))
                .findFirst().orElseThrow().target().auth();
    }

    private String target(String method, String path) {
        return ((Router.Matched<ApiRoute>) router.resolve(method, path)).route().pattern().template();
    }

    private static Router<ApiRoute> rebuilt(List<Router.Route<ApiRoute>> routes) {
        Router.Builder<ApiRoute> builder = Router.builder();
        routes.forEach(route -> builder.add(route.method(), route.pattern().template(), route.target()));
        return builder.build();
    }

    /**
     * Requests a route is meant for, its parameters filled with ordinary values: numbers and encoded project paths for
     * {@code :name}, refs with and without slashes for {@code :name+}, nested and flat paths for {@code *name}.
     */
    private static List<String> samples(PathPattern pattern) {
        List<String> samples = new ArrayList<>();
        for (Map<String, String> values : List.of(
                Map.of(":", "12", "+", "feature/login", "*", "out/report.txt"),
                Map.of(":", "acme%2Fapp", "+", "main", "*", "index.html"))) {
            Matcher parameter = PARAMETER.matcher(pattern.template());
            StringBuilder path = new StringBuilder();
            while (parameter.find()) {
                String name = parameter.group(1);
                String kind = name.startsWith("*") ? "*" : name.endsWith("+") ? "+" : ":";
                parameter.appendReplacement(path, Matcher.quoteReplacement(values.get(kind)));
            }
            parameter.appendTail(path);
            samples.add(path.toString());
        }
        return samples;
    }

    @SuppressWarnings("unchecked")
    private static <T> T unused(Class<T> port) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (method.getName().equals("toString")) {
                return "unused " + port.getSimpleName();
            }
            throw new UnsupportedOperationException("not called by routing: " + method);
        });
    }
}
