package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.JobsApi;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.application.Services;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.PathHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyset pages ({@code pagination=keyset}) of the users, projects, members and token lists, in GitLab's form: the same items
 * as the offset list, no {@code X-*} paging headers, {@code Link rel="next"} on the configured origin with every
 * parameter the client sent and the cursor, none on the last page.
 */
class AdminKeysetHttpTest {
    private static final String PREFIX = "/api/v4";
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30Z");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryPorts ports = new InMemoryPorts(clock);
    private final Repositories repos = ports.repos;
    private final TestData data = new TestData(repos);
    private final Services services = ports.wire(Services.Settings.defaults(URI.create("http://localhost")));
    private Undertow server;
    private String base;
    private String rootToken;
    private Project big;

    @BeforeEach
    void start() {
        User root = data.admin("root");
        rootToken = services.accessTokens().createForUser(Actor.UserActor.withFullAccess(root), root.id(), "t",
                Set.of(TokenScope.API), null).secret();
        big = data.project("acme", "big", Visibility.PRIVATE, false);
        for (int i = 0; i < 7; i++) {
            User user = data.user("user" + i);
            data.member(big, user, i % 2 == 0 ? Role.DEVELOPER : Role.REPORTER);
            data.project("acme", "p" + i, i % 3 == 0 ? Visibility.PUBLIC : Visibility.PRIVATE, false);
            services.accessTokens().createForUser(Actor.UserActor.withFullAccess(root), user.id(), "token" + i,
                    Set.of(TokenScope.READ_API), null);
        }

        PathHandler pathHandler = Handlers.path();
        server = Undertow.builder().setServerOption(UndertowOptions.DECODE_URL, false)
                .addHttpListener(0, "127.0.0.1").setHandler(pathHandler).build();
        server.start();
        base = "http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        JobsApi api = JobsApi.builder(HttpSettings.of(URI.create(base)), clock,
                services.authenticate())
                .admin(new JobsApi.AdminUseCases(services.users(), services.projects(), services.members(),
                        services.accessTokens(), null)).build();
        pathHandler.addPrefixPath("/", api.handler());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void usersProjectsAndMembersWalkTheirOffsetListPageByPage() throws Exception {
        for (String list : List.of("/users?active=true", "/projects?visibility=private",
                "/projects/" + big.id() + "/members?query=user", "/personal_access_tokens?state=active",
                "/personal_access_tokens?sort=id_desc", "/personal_access_tokens?search=token")) {
            List<Long> offset = ids(get(list + "&per_page=100", rootToken));
            assertThat(offset).as(list).hasSizeGreaterThan(3);
            List<Long> walked = new ArrayList<>();
            String next = base + PREFIX + list + "&pagination=keyset&per_page=2";
            int pages = 0;
            while (next != null) {
                HttpResponse<byte[]> page = get(next.substring((base + PREFIX).length()), rootToken);
                walked.addAll(ids(page));
                assertThat(page.headers().firstValue("X-Total")).as(list).isEmpty();
                assertThat(page.headers().firstValue("X-Next-Page")).as(list).isEmpty();
                next = next(page);
                if (next != null) {
                    assertThat(next).startsWith(base + PREFIX + list.substring(0, list.indexOf('?')) + "?")
                            .contains("pagination=keyset").contains("per_page=2").contains("cursor=")
                            .contains(list.substring(list.indexOf('?') + 1));
                }
                pages++;
            }
            assertThat(walked).as(list).containsExactlyElementsOf(offset);
            assertThat(pages).isEqualTo((offset.size() + 1) / 2);
        }
    }

    @Test
    void tokensPageByKeysetOnlyInTheOrdersById() throws Exception {
        HttpResponse<byte[]> byName = get("/personal_access_tokens?pagination=keyset&sort=name_asc", rootToken);
        assertThat(byName.statusCode()).isEqualTo(405);
        assertThat(new String(byName.body()))
                .isEqualTo("{\"message\":\"Keyset pagination is not yet available for this type of request\"}");
        HttpResponse<byte[]> badCursor = get("/personal_access_tokens?pagination=keyset&cursor=%21%21", rootToken);
        assertThat(badCursor.statusCode()).isEqualTo(400);
    }

    @Test
    void aBadCursorIsGitLabs400() throws Exception {
        HttpResponse<byte[]> response = get("/users?pagination=keyset&cursor=%21%21", rootToken);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new String(response.body())).isEqualTo("{\"error\":\"cursor is invalid\"}");
    }

    private static String next(HttpResponse<byte[]> response) {
        String header = response.headers().firstValue("Link").orElse(null);
        if (header == null) {
            return null;
        }
        Matcher matcher = Pattern.compile("<([^>]+)>; rel=\"next\"").matcher(header);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static List<Long> ids(HttpResponse<byte[]> response) throws IOException {
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        Json.tree(response.body()).forEach(node -> ids.add(node.get("id").asLong()));
        return ids;
    }

    private HttpResponse<byte[]> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + PREFIX + path)).timeout(Duration.ofSeconds(30))
                .header("PRIVATE-TOKEN", token).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
