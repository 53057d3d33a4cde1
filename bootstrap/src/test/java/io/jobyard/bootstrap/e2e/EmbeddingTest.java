package io.jobyard.bootstrap.e2e;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.admin.ProjectsUseCase.NewProject;
import io.jobyard.application.port.in.admin.UsersUseCase.NewUser;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase.CreatePipelineCommand;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.User;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.Job;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the README's embedding section shows: a host service with its own Undertow routes and its own authentication
 * mounts Jobyard under {@code /ci}, and a GitLab client pointed at {@code /ci} works.
 */
class EmbeddingTest {
    @TempDir
    Path dir;

    private Undertow host;
    private Jobyard jobyard;

    @AfterEach
    void stop() {
        if (host != null) {
            host.stop();
        }
        if (jobyard != null) {
            jobyard.close();
        }
    }

    /** The host's own sessions, mapped onto Jobyard users; anything else goes to Jobyard's own tokens. */
    static final class HostSessions implements AuthenticateUseCase {
        final Map<String, Actor> sessions = new ConcurrentHashMap<>();
        final AuthenticateUseCase jobyardTokens;

        HostSessions(AuthenticateUseCase jobyardTokens) {
            this.jobyardTokens = jobyardTokens;
        }

        @Override
        public Actor byAccessToken(String token) {
            Actor actor = token == null ? null : sessions.get(token);
            return actor != null ? actor : jobyardTokens.byAccessToken(token);
        }

        @Override
        public Actor byJobToken(String token) {
            return jobyardTokens.byJobToken(token);
        }
    }

    @Test
    void aHostMountsJobyardUnderItsOwnPrefixWithItsOwnAuthentication() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("host-db") + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Map<String, HostSessions> built = new ConcurrentHashMap<>();
        SimpleMeterRegistry hostMetrics = new SimpleMeterRegistry();
        jobyard = Jobyard.builder()
                .dataSource(dataSource)
                .filesystemStorage(dir.resolve("ci"))
                .authentication(builtIn -> built.computeIfAbsent("host", k -> new HostSessions(builtIn)))
                .externalUrl(URI.create("http://127.0.0.1/ci"))
                .meterRegistry(hostMetrics)
                .build();
        HostSessions sessions = built.get("host");
        String operatorToken = "host-operator-token-0123456789";
        jobyard.ensureFirstAdministrator(operatorToken);

        Actor operator = jobyard.useCases().authenticate().byAccessToken(operatorToken);
        assertThat(operator.isAdmin()).isTrue();
        Jobyard.UseCases ci = jobyard.useCases();
        User alice = ci.users().createUser(operator, new NewUser("alice", "Alice", "alice@example.com", false));
        Project project = ci.projects().createProject(operator,
                new NewProject("Shop", "shop", "team", Visibility.PRIVATE, false));
        ci.members().putMember(operator, ProjectRef.of(project.id()), alice.id(), Role.DEVELOPER);
        ci.createPipeline().create(operator, new CreatePipelineCommand(ProjectRef.of(project.id()), "main", false,
                Commit.ofSha("a".repeat(40), OffsetDateTime.now(ZoneOffset.UTC)), PipelineSource.API,
                List.of("build"), List.of(JobSpec.simple("compile", "build", 0)), List.of()));
        sessions.sessions.put("session-of-alice", Actor.UserActor.withFullAccess(alice));

        host = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path()
                        .addExactPath("/hello", exchange -> {
                            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                            exchange.getResponseSender().send("host says hello");
                        })
                        .addPrefixPath("/ci", jobyard.httpHandler()))
                .build();
        host.start();
        int port = ((InetSocketAddress) host.getListenerInfo().get(0).getAddress()).getPort();

        GitLabApi gitlab = new GitLabApi("http://127.0.0.1:" + port + "/ci", "session-of-alice");
        List<Job> jobs = gitlab.getJobApi().getJobs("team/shop");
        assertThat(jobs).extracting(Job::getName).containsExactly("compile");
        assertThat(jobs.get(0).getStatus()).isEqualTo(org.gitlab4j.api.models.JobStatus.PENDING);
        assertThat(gitlab.getJobApi().cancelJob(project.id().value(), jobs.get(0).getId()).getStatus())
                .isEqualTo(org.gitlab4j.api.models.JobStatus.CANCELED);

        HttpResponse<String> hello = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(hello.body()).isEqualTo("host says hello");
        GitLabApi stranger = new GitLabApi("http://127.0.0.1:" + port + "/ci", "no-such-session");
        assertThatThrownBy(() -> stranger.getJobApi().getJobs("team/shop"))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(401));

        // Jobyard's meters land on the host's registry, route templates under the host's own prefix.
        assertThat(hostMetrics.get("http.server.requests").tag("route", "/ci/api/v4/projects/:id/jobs")
                .tag("status", "200").timer().count()).isEqualTo(1);
        assertThat(hostMetrics.get("jobyard.job.transitions").tag("status", "canceled").counter().count())
                .isEqualTo(1);
        assertThat(hostMetrics.get("jobyard.jobs.pending").gauge().value()).isZero();
    }
}
