package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.JobsApi;
import io.jobyard.adapter.http.yaml.CiYamlParser;
import io.jobyard.application.Services;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryCiConfigRepository;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.application.memory.InMemoryTraceStore;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase.CreatePipelineCommand;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase;
import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The runner API over the real application services and the in-memory ports (wired as the application's
 * {@code RunnerTestbed} and the bootstrap wire them), mounted under {@code /api/v4} of an Undertow on an ephemeral
 * port: an admin and a maintainer with personal access tokens ({@code pat-<username>}) and a private project.
 */
final class RunnerWorld implements AutoCloseable {
    static final Instant NOW = TestData.T0.plus(Duration.ofDays(1));
    static final String PREFIX = "/api/v4";
    /** Multipart file parts larger than this are refused while they arrive. */
    static final long MAX_UPLOAD_BYTES = 64 * 1024;

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final InMemoryPorts ports = new InMemoryPorts(clock);
    final Repositories repos = ports.repos;
    final TestData data = new TestData(repos);
    final InMemoryTraceStore traces = (InMemoryTraceStore) ports.traceStore;
    final InMemoryCiConfigRepository ciConfigs = ports.ciConfigStore;
    /** Logs of more than 64 bytes drop their job. */
    final Services services = wire(ports);
    final CreatePipelineUseCase createPipeline = services.createPipeline();
    final RunnersUseCase runners = services.runners();

    final User admin = data.admin("root");
    final User maintainer = data.user("max");
    final Project project = data.project("acme", "app", Visibility.PRIVATE, false);

    private final Undertow server;
    final int port;

    RunnerWorld() {
        this((world, api) -> api.build().handler());
    }

    /** @param mount builds the handler from this world and its API with the runner routes in */
    RunnerWorld(BiFunction<RunnerWorld, JobsApi.Builder, HttpHandler> mount) {
        this(LongPolling.off(), mount);
    }

    /** The runner API with {@code longPolling} on {@code POST /jobs/request}. */
    RunnerWorld(LongPolling longPolling) {
        this(longPolling, (world, api) -> api.build().handler());
    }

    private RunnerWorld(LongPolling longPolling, BiFunction<RunnerWorld, JobsApi.Builder, HttpHandler> mount) {
        for (User user : List.of(admin, maintainer)) {
            repos.users().insertToken(data.tokenRecord(user, TestData.digest("pat-" + user.username()),
                    Set.of(TokenScope.API), null, false));
        }
        data.member(project, maintainer, Role.MAINTAINER);
        JobsApi.RunnerUseCases useCases = new JobsApi.RunnerUseCases(runners, services.requestJob(),
                services.updateJob(), services.appendTrace(), services.uploadArtifact(),
                services.downloadDependency());
        AuthenticateUseCase authenticate = services.authenticate();
        PathHandler root = Handlers.path();
        server = Undertow.builder()
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(root)
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        JobsApi.Builder api = JobsApi.builder(HttpSettings.of(URI.create(base())), clock, authenticate)
                .runners(useCases, new JobsApi.Uploads(Path.of(System.getProperty("java.io.tmpdir")),
                        MAX_UPLOAD_BYTES), longPolling);
        root.addPrefixPath("/", mount.apply(this, api));
    }

    private static Services wire(InMemoryPorts ports) {
        ports.ciConfigParser = new CiYamlParser();
        return ports.wire(Services.Settings.defaults(URI.create("https://ci.example.com"))
                .withArtifactLimits(ArtifactLimits.DEFAULTS.withMaxTraceSize(64)));
    }

    /** The pipeline routes' use cases over the same services, to serve next to the runner routes. */
    JobsApi.PipelineUseCases pipelineUseCases() {
        return new JobsApi.PipelineUseCases(services.createPipelineFromConfig(), services.pipelines(),
                services.ciConfig());
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String api(String path) {
        return base() + PREFIX + path;
    }

    /** A two-stage pipeline on main: {@code build} in stage build, {@code test} in stage test. */
    Pipeline buildAndTest() {
        return createPipeline.create(Actor.UserActor.withFullAccess(admin), new CreatePipelineCommand(
                ProjectRef.of(project.id()), "main", false, TestData.commit(TestData.unique()), PipelineSource.API,
                List.of("build", "test"), List.of(JobSpec.simple("build", "build", 0), JobSpec.simple("test", "test", 1)),
                List.of()));
    }

    @Override
    public void close() {
        server.stop();
    }
}
