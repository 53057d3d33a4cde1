package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.JobsApi;
import io.jobyard.adapter.http.yaml.CiYamlParser;
import io.jobyard.application.Services;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryCiConfigRepository;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.PathHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * The pipeline API over in-memory services, mounted under {@code /api/v4} of an Undertow on an ephemeral port: one
 * user per role with a personal access token {@code pat-<username>} (and {@code ro-dev}, a read_api token of the
 * developer), a private project {@code acme/app} and a public one with public pipelines, {@code acme/open}.
 */
final class PipelineWorld implements AutoCloseable {
    static final Instant NOW = TestData.T0.plus(Duration.ofDays(1));

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final InMemoryPorts ports = new InMemoryPorts(clock);
    final Repositories repos = ports.repos;
    final TestData data = new TestData(repos);
    final InMemoryCiConfigRepository ciConfigs = ports.ciConfigStore;
    final Services services;

    final User admin = data.admin("root");
    final User maintainer = data.user("max");
    final User developer = data.user("dev");
    final User reporter = data.user("rita");
    final User outsider = data.user("otto");
    final Project project = data.project("acme", "app", Visibility.PRIVATE, false);
    final Project open = data.project("acme", "open", Visibility.PUBLIC, true);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Undertow server;
    private final int port;

    PipelineWorld() {
        for (User user : List.of(admin, maintainer, developer, reporter, outsider)) {
            repos.users().insertToken(data.tokenRecord(user, TestData.digest("pat-" + user.username()),
                    Set.of(TokenScope.API), null, false));
        }
        repos.users().insertToken(data.tokenRecord(developer, TestData.digest("ro-dev"), Set.of(TokenScope.READ_API),
                null, false));
        for (Project p : List.of(project, open)) {
            data.member(p, maintainer, Role.MAINTAINER);
            data.member(p, developer, Role.DEVELOPER);
            data.member(p, reporter, Role.REPORTER);
        }
        ports.ciConfigParser = new CiYamlParser();
        services = ports.wire(Services.Settings.defaults(URI.create("http://localhost")));
        JobsApi.PipelineUseCases useCases = new JobsApi.PipelineUseCases(services.createPipelineFromConfig(),
                services.pipelines(), services.ciConfig());
        AuthenticateUseCase authenticate = services.authenticate();
        PathHandler root = Handlers.path();
        server = Undertow.builder()
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(root)
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        root.addPrefixPath("/", JobsApi.builder(HttpSettings.of(URI.create(base())), clock, authenticate)
                .pipelines(useCases).build().handler());
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String api(String path) {
        return base() + "/api/v4" + path;
    }

    HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(api(path))).GET(), token);
    }

    HttpResponse<String> post(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(api(path))).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{}")), token);
    }

    HttpResponse<String> postJson(String path, String json, String token) {
        return send(HttpRequest.newBuilder(URI.create(api(path))).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json)), token);
    }

    HttpResponse<String> putForm(String path, String form, String token) {
        return send(HttpRequest.newBuilder(URI.create(api(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(BodyPublishers.ofString(form)), token);
    }

    HttpResponse<String> putJson(String path, String json, String token) {
        return send(HttpRequest.newBuilder(URI.create(api(path))).header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(json)), token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("PRIVATE-TOKEN", token);
        }
        try {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
