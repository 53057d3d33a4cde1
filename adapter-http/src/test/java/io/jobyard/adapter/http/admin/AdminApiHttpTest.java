package io.jobyard.adapter.http.admin;

import io.jobyard.application.Services;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.application.service.admin.AccessTokensService;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.JobsApi;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.port.in.GitLabApiLevel;
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
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin routes over the real services ({@link io.jobyard.application.Services}) on the in-memory ports,
 * mounted under {@code /api/v4} of an Undertow on an ephemeral port in front of a fallback that answers 418, starting
 * from the first administrator an empty installation gets.
 */
class AdminApiHttpTest {
    private static final String PREFIX = "/api/v4";
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123456Z");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryPorts ports = new InMemoryPorts(clock);
    private final Repositories repos = ports.repos;
    private final Services services = ports.wire(Services.Settings.defaults(URI.create("http://localhost")));
    private Undertow server;
    private String base;
    private String rootToken;

    @BeforeEach
    void start() {
        rootToken = services.firstAdministrator().ensure(null).orElseThrow();
        PathHandler root = Handlers.path();
        server = Undertow.builder()
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(root)
                .build();
        server.start();
        base = "http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        JobsApi api = JobsApi.builder(HttpSettings.of(URI.create(base)), clock, services.authenticate())
                .admin(new JobsApi.AdminUseCases(services.users(), services.projects(), services.members(),
                        services.accessTokens(), null)).build();
        root.addPrefixPath("/", api.handler(exchange -> {
            exchange.setStatusCode(418);
            exchange.getResponseSender().send("fallback");
        }));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void an_admin_sets_up_a_user_with_a_token_and_a_membership_that_then_work() throws Exception {
        HttpResponse<byte[]> createdUser = post("/users", Map.of("username", "alice", "name", "Alice Liddell",
                "email", "alice@example.com"), rootToken);
        assertThat(createdUser.statusCode()).isEqualTo(201);
        assertThat(createdUser.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode user = Json.tree(createdUser.body());
        long aliceId = user.get("id").asLong();
        assertThat(user.get("username").asText()).isEqualTo("alice");
        assertThat(user.get("name").asText()).isEqualTo("Alice Liddell");
        assertThat(user.get("state").asText()).isEqualTo("active");
        assertThat(user.has("avatar_url")).isTrue();
        assertThat(user.get("avatar_url").isNull()).isTrue();
        assertThat(user.get("web_url").asText()).isEqualTo(base + "/alice");
        assertThat(user.get("created_at").asText()).isEqualTo("2026-03-01T10:15:30.123Z");
        assertThat(user.get("is_admin").asBoolean()).isFalse();
        assertThat(user.get("email").asText()).isEqualTo("alice@example.com");

        // Form-encoded, as curl sends it: GitLab's scopes[] spelling.
        HttpResponse<byte[]> createdToken = postForm("/users/" + aliceId + "/personal_access_tokens",
                "name=ci&scopes%5B%5D=api&expires_at=2026-12-31", rootToken);
        assertThat(createdToken.statusCode()).isEqualTo(201);
        JsonNode token = Json.tree(createdToken.body());
        assertThat(token.get("name").asText()).isEqualTo("ci");
        assertThat(token.get("revoked").asBoolean()).isFalse();
        assertThat(token.get("active").asBoolean()).isTrue();
        assertThat(token.get("scopes").toString()).isEqualTo("[\"api\"]");
        assertThat(token.get("user_id").asLong()).isEqualTo(aliceId);
        assertThat(token.get("expires_at").asText()).isEqualTo("2026-12-31");
        assertThat(token.get("created_at").asText()).isEqualTo("2026-03-01T10:15:30.123Z");
        // GitLab's PersonalAccessTokenWithToken: the stored token's fields in GitLab's order, then the secret.
        List<String> fields = new java.util.ArrayList<>();
        token.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "name", "revoked", "created_at", "description", "scopes", "user_id",
                "last_used_at", "active", "expires_at", "token");
        String aliceToken = token.get("token").asText();
        assertThat(aliceToken).startsWith(AccessTokensService.TOKEN_PREFIX);

        HttpResponse<byte[]> createdProject = post("/projects", Map.of("name", "App", "path", "app",
                "namespace_path", "acme", "visibility", "internal", "public_jobs", false), rootToken);
        assertThat(createdProject.statusCode()).isEqualTo(201);
        JsonNode project = Json.tree(createdProject.body());
        assertThat(project.get("name").asText()).isEqualTo("App");
        assertThat(project.get("path").asText()).isEqualTo("app");
        assertThat(project.get("path_with_namespace").asText()).isEqualTo("acme/app");
        assertThat(project.get("visibility").asText()).isEqualTo("internal");
        assertThat(project.get("public_jobs").asBoolean()).isFalse();
        assertThat(project.get("web_url").asText()).isEqualTo(base + "/acme/app");
        assertThat(project.get("created_at").asText()).isEqualTo("2026-03-01T10:15:30.123Z");

        // Alice's token works, but a Developer may not manage members.
        HttpResponse<byte[]> added = post("/projects/" + project.get("id").asLong() + "/members",
                Map.of("user_id", aliceId, "access_level", 30), rootToken);
        assertThat(added.statusCode()).isEqualTo(201);
        JsonNode member = Json.tree(added.body());
        assertThat(member.get("id").asLong()).isEqualTo(aliceId);
        assertThat(member.get("username").asText()).isEqualTo("alice");
        assertThat(member.get("name").asText()).isEqualTo("Alice Liddell");
        assertThat(member.get("access_level").asInt()).isEqualTo(30);
        HttpResponse<byte[]> asDeveloper = post("/projects/acme%2Fapp/members",
                Map.of("user_id", aliceId, "access_level", 40), aliceToken);
        assertThat(asDeveloper.statusCode()).isEqualTo(403);
        assertThat(text(asDeveloper)).isEqualTo("{\"message\":\"403 Forbidden\"}");

        HttpResponse<byte[]> own = post("/projects", Map.of("name", "My Tools"), aliceToken);
        assertThat(own.statusCode()).isEqualTo(201);
        assertThat(Json.tree(own.body()).get("path_with_namespace").asText()).isEqualTo("alice/my-tools");
        assertThat(Json.tree(own.body()).get("visibility").asText()).isEqualTo("private");
        assertThat(Json.tree(own.body()).get("public_jobs").asBoolean()).isTrue();

        HttpResponse<byte[]> removed = send("DELETE", "/projects/acme%2Fapp/members/" + aliceId, rootToken);
        assertThat(removed.statusCode()).isEqualTo(204);
        assertThat(removed.body()).isEmpty();
        HttpResponse<byte[]> removedAgain = send("DELETE", "/projects/acme%2Fapp/members/" + aliceId, rootToken);
        assertThat(text(removedAgain)).isEqualTo("{\"message\":\"404 Member Not Found\"}");
    }

    @Test
    void a_user_who_is_no_admin_cannot_create_users_and_nobody_anonymous_can_do_anything() throws Exception {
        post("/users", Map.of("username", "bob", "name", "Bob", "email", "bob@example.com"), rootToken);
        long bobId = repos.users().findByUsername("bob").orElseThrow().id().value();
        String bobToken = Json.tree(post("/users/" + bobId + "/personal_access_tokens",
                Map.of("name", "t", "scopes", List.of("api")), rootToken).body()).get("token").asText();

        HttpResponse<byte[]> byBob = post("/users", Map.of("username", "eve", "name", "Eve",
                "email", "eve@example.com", "admin", true), bobToken);
        assertThat(byBob.statusCode()).isEqualTo(403);
        assertThat(text(byBob)).isEqualTo("{\"message\":\"403 Forbidden\"}");
        assertThat(repos.users().findByUsername("eve")).isEmpty();

        HttpResponse<byte[]> anonymous = post("/users", Map.of("username", "eve", "name", "Eve",
                "email", "eve@example.com"), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(text(anonymous)).isEqualTo("{\"message\":\"401 Unauthorized\"}");
        assertThat(post("/projects", Map.of("name", "x"), null).statusCode()).isEqualTo(401);
        assertThat(post("/projects", Map.of("name", "x"), "glpat-unknown").statusCode()).isEqualTo(401);
    }

    @Test
    void a_read_api_token_cannot_write() throws Exception {
        String readOnly = Json.tree(post("/users/1/personal_access_tokens",
                Map.of("name", "ro", "scopes", List.of("read_api")), rootToken).body()).get("token").asText();
        HttpResponse<byte[]> refused = post("/projects", Map.of("name", "x"), readOnly);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Json.tree(refused.body()).get("error").asText()).isEqualTo("insufficient_scope");
    }

    @Test
    void invalid_parameters_are_400_with_grapes_messages() throws Exception {
        post("/projects", Map.of("name", "App", "namespace_path", "acme"), rootToken);
        assertThat(text(post("/projects/acme%2Fapp/members", Map.of("user_id", 1, "access_level", 35), rootToken)))
                .isEqualTo("{\"error\":\"access_level does not have a valid value\"}");
        assertThat(post("/projects/acme%2Fapp/members", Map.of("user_id", 1, "access_level", 35), rootToken)
                .statusCode()).isEqualTo(400);
        assertThat(text(post("/projects/acme%2Fapp/members", Map.of("access_level", 30), rootToken)))
                .isEqualTo("{\"error\":\"user_id is missing\"}");
        assertThat(text(post("/projects/acme%2Fapp/members", Map.of("user_id", "one", "access_level", 30),
                rootToken))).isEqualTo("{\"error\":\"user_id is invalid\"}");
        assertThat(text(post("/users", Map.of("username", "carol", "name", "Carol"), rootToken)))
                .isEqualTo("{\"error\":\"email is missing\"}");
        assertThat(text(post("/users/1/personal_access_tokens", Map.of("name", "t", "scopes", List.of("sudo")),
                rootToken))).isEqualTo("{\"error\":\"scopes does not have a valid value\"}");
        assertThat(text(post("/users/1/personal_access_tokens", Map.of("name", "t"), rootToken)))
                .isEqualTo("{\"error\":\"scopes is missing\"}");
        assertThat(text(post("/users/1/personal_access_tokens",
                Map.of("name", "t", "scopes", List.of("api"), "expires_at", "next week"), rootToken)))
                .isEqualTo("{\"error\":\"expires_at is invalid\"}");
        assertThat(text(post("/projects", Map.of("name", "x", "visibility", "secret"), rootToken)))
                .isEqualTo("{\"error\":\"visibility does not have a valid value\"}");
        assertThat(text(post("/projects", Map.of("visibility", "public"), rootToken)))
                .isEqualTo("{\"error\":\"name, path are missing, at least one parameter must be provided\"}");
    }

    @Test
    void paths_no_route_has_go_to_the_fallback_and_other_methods_of_known_paths_are_405() throws Exception {
        assertThat(send("GET", "/jobs/1/trace", null).statusCode()).isEqualTo(418);
        // One table knows every method of /users, so DELETE is refused here, after users.rb's authenticate_non_get!.
        HttpResponse<byte[]> deleteUsers = send("DELETE", "/users", rootToken);
        assertThat(deleteUsers.statusCode()).isEqualTo(405);
        assertThat(deleteUsers.headers().firstValue("Allow")).hasValue("OPTIONS, GET, HEAD, POST");
        assertThat(send("DELETE", "/users", null).statusCode()).isEqualTo(401);
    }

    @Test
    void a_project_keeps_its_description_default_branch_and_repository_and_put_changes_them() throws Exception {
        HttpResponse<byte[]> created = post("/projects", Map.of("name", "Docs", "namespace_path", "acme",
                "description", "The manual", "default_branch", "trunk",
                "repository_url", "https://git.example.com/acme/docs.git"), rootToken);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode project = Json.tree(created.body());
        assertThat(project.get("description").asText()).isEqualTo("The manual");
        assertThat(project.get("default_branch").asText()).isEqualTo("trunk");
        assertThat(project.get("repository_url").asText()).isEqualTo("https://git.example.com/acme/docs.git");
        long id = project.get("id").asLong();

        HttpResponse<byte[]> changed = put("/projects/acme%2Fdocs", Map.of("description", "",
                "default_branch", "main", "repository_url", "", "visibility", "public"), rootToken);
        assertThat(changed.statusCode()).isEqualTo(200);
        JsonNode after = Json.tree(changed.body());
        assertThat(after.get("id").asLong()).isEqualTo(id);
        assertThat(after.get("description").asText()).isEmpty();
        assertThat(after.get("default_branch").asText()).isEqualTo("main");
        assertThat(after.get("repository_url").isNull()).isTrue();
        assertThat(after.get("visibility").asText()).isEqualTo("public");
        assertThat(after.get("name").asText()).isEqualTo("Docs");
        assertThat(Json.tree(send("GET", "/projects/" + id, rootToken).body()).get("visibility").asText())
                .isEqualTo("public");

        // Bad input is GitLab-shaped and changes nothing.
        HttpResponse<byte[]> nothing = put("/projects/" + id, Map.of(), rootToken);
        assertThat(nothing.statusCode()).isEqualTo(400);
        assertThat(text(nothing)).isEqualTo("{\"error\":\"" + UpdateProjectEndpoint.AT_LEAST_ONE + "\"}");
        HttpResponse<byte[]> badUrl = put("/projects/" + id, Map.of("repository_url",
                "https://user:secret@git.example.com/a.git"), rootToken);
        assertThat(badUrl.statusCode()).isEqualTo(400);
        assertThat(text(badUrl)).startsWith("{\"message\":\"400 Bad request - repository URL must be");
        HttpResponse<byte[]> badBranch = put("/projects/" + id, Map.of("default_branch", "a..b"), rootToken);
        assertThat(badBranch.statusCode()).isEqualTo(400);
        HttpResponse<byte[]> badVisibility = put("/projects/" + id, Map.of("visibility", "secret"), rootToken);
        assertThat(text(badVisibility)).isEqualTo("{\"error\":\"visibility does not have a valid value\"}");
        JsonNode unchanged = Json.tree(send("GET", "/projects/" + id, rootToken).body());
        assertThat(unchanged.get("default_branch").asText()).isEqualTo("main");
        assertThat(unchanged.get("repository_url").isNull()).isTrue();

        HttpResponse<byte[]> anonymous = put("/projects/" + id, Map.of("description", "x"), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(put("/projects/acme%2Fnone", Map.of("description", "x"), rootToken).statusCode()).isEqualTo(404);
    }

    @Test
    void a_developer_may_not_edit_a_project_and_a_maintainer_may_not_change_its_visibility() throws Exception {
        long project = Json.tree(post("/projects", Map.of("name", "App", "namespace_path", "acme"), rootToken)
                .body()).get("id").asLong();
        for (int[] level : new int[][] {{30, 403}, {40, 200}}) {
            String name = "user" + level[0];
            long user = Json.tree(post("/users", Map.of("username", name, "name", name, "email",
                    name + "@example.com"), rootToken).body()).get("id").asLong();
            String token = Json.tree(postForm("/users/" + user + "/personal_access_tokens",
                    "name=t&scopes%5B%5D=api", rootToken).body()).get("token").asText();
            assertThat(post("/projects/" + project + "/members", Map.of("user_id", user, "access_level", level[0]),
                    rootToken).statusCode()).isEqualTo(201);

            assertThat(put("/projects/" + project, Map.of("description", "by " + name), token).statusCode())
                    .isEqualTo(level[1]);
            HttpResponse<byte[]> visibility = put("/projects/" + project, Map.of("visibility", "public"), token);
            assertThat(visibility.statusCode()).isEqualTo(403);
            assertThat(text(visibility)).isEqualTo("{\"message\":\"403 Forbidden\"}");
        }
        assertThat(Json.tree(send("GET", "/projects/" + project, rootToken).body()).get("description").asText())
                .isEqualTo("by user40");
    }

    @Test
    void version_and_metadata_announce_the_gitlab_api_level_to_signed_in_callers() throws Exception {
        for (String path : new String[] {"/version", "/metadata"}) {
            HttpResponse<byte[]> answer = send("GET", path, rootToken);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(text(answer)).isEqualTo("{\"version\":\"" + GitLabApiLevel.VERSION + "\",\"revision\":\""
                    + GitLabApiLevel.REVISION + "\",\"kas\":{\"enabled\":false,\"externalUrl\":null,"
                    + "\"version\":null},\"enterprise\":false}");
            HttpResponse<byte[]> anonymous = send("GET", path, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(text(anonymous)).isEqualTo("{\"message\":\"401 Unauthorized\"}");
        }
    }

    private HttpResponse<byte[]> post(String path, Map<String, Object> body, String token)
            throws IOException, InterruptedException {
        return client.send(request(path, token).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofByteArray(Json.write(new LinkedHashMap<>(body)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> put(String path, Map<String, Object> body, String token)
            throws IOException, InterruptedException {
        return client.send(request(path, token).header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofByteArray(Json.write(new LinkedHashMap<>(body)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> postForm(String path, String form, String token)
            throws IOException, InterruptedException {
        return client.send(request(path, token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> send(String method, String path, String token)
            throws IOException, InterruptedException {
        return client.send(request(path, token).method(method, BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + PREFIX + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("PRIVATE-TOKEN", token);
        }
        return request;
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
