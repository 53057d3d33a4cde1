package io.jobyard.adapter.http.admin;

import io.jobyard.application.Services;
import io.jobyard.application.memory.InMemoryPorts;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.JobsApi;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserState;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reads of the admin surface over HTTP, on the real services and in-memory ports: who gets which users, projects
 * and members, in which JSON shape, with which pagination headers, and how malformed parameters are refused.
 */
class AdminReadsHttpTest {
    private static final String PREFIX = "/api/v4";
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123456Z");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryPorts ports = new InMemoryPorts(clock);
    private final Repositories repos = ports.repos;
    private final TestData data = new TestData(repos);
    private final Services services = ports.wire(Services.Settings.defaults(URI.create("http://localhost")));
    private Undertow server;
    private String base;

    private User root;
    private User alice;
    private User bob;
    private String rootToken;
    private String aliceToken;
    private String aliceReadOnly;
    private String bobToken;
    private Project secret;
    private Project open;
    private Project inside;

    @BeforeEach
    void start() {
        root = data.admin("root");
        alice = data.user("alice");
        bob = data.user("bob");
        rootToken = token(root, TokenScope.API);
        aliceToken = token(alice, TokenScope.API);
        aliceReadOnly = token(alice, TokenScope.READ_API);
        bobToken = token(bob, TokenScope.API);
        secret = data.project("acme", "secret", Visibility.PRIVATE, false);
        open = data.project("acme", "open", Visibility.PUBLIC, true);
        inside = data.project("acme", "inside", Visibility.INTERNAL, false);
        data.member(secret, alice, Role.MAINTAINER);
        data.member(secret, bob, Role.OWNER);

        PathHandler pathHandler = Handlers.path();
        server = Undertow.builder()
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(pathHandler)
                .build();
        server.start();
        base = "http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        JobsApi api = JobsApi.builder(HttpSettings.of(URI.create(base)), clock, services.authenticate())
                .admin(new JobsApi.AdminUseCases(services.users(), services.projects(), services.members(),
                        services.accessTokens(), null)).build();
        pathHandler.addPrefixPath("/", api.handler());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    // ---------------------------------------------------------------------------------------------------- users

    @Test
    void non_admins_list_users_as_user_basic_newest_first_with_totals() throws Exception {
        HttpResponse<byte[]> page = get("/users?per_page=2", aliceReadOnly);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(text(page)).isEqualTo("[" + basic(bob) + "," + basic(alice) + "]");
        assertThat(page.headers().firstValue("X-Total")).hasValue("3");
        assertThat(page.headers().firstValue("X-Total-Pages")).hasValue("2");
        assertThat(page.headers().firstValue("X-Page")).hasValue("1");
        assertThat(page.headers().firstValue("X-Per-Page")).hasValue("2");
        assertThat(page.headers().firstValue("X-Next-Page")).hasValue("2");
        assertThat(page.headers().firstValue("X-Prev-Page")).hasValue("");
        assertThat(page.headers().firstValue("Link")).hasValue(
                "<" + base + "/api/v4/users?page=2&per_page=2>; rel=\"next\", "
                        + "<" + base + "/api/v4/users?page=1&per_page=2>; rel=\"first\", "
                        + "<" + base + "/api/v4/users?page=2&per_page=2>; rel=\"last\"");

        HttpResponse<byte[]> last = get("/users?per_page=2&page=2", aliceReadOnly);
        assertThat(ids(last)).containsExactly(root.id().value());
        assertThat(last.headers().firstValue("X-Next-Page")).hasValue("");
    }

    @Test
    void admins_list_users_with_admin_fields() throws Exception {
        HttpResponse<byte[]> page = get("/users?username=ALICE", rootToken);

        assertThat(text(page)).isEqualTo("[{\"id\":" + alice.id() + ",\"username\":\"alice\",\"name\":\"Name of alice\","
                + "\"state\":\"active\",\"locked\":false,\"avatar_url\":null,\"web_url\":\"" + base + "/alice\","
                + "\"created_at\":\"2024-05-01T10:00:00.000Z\",\"bot\":false,\"is_admin\":false,"
                + "\"email\":\"alice@example.com\"}]");
    }

    @Test
    void user_filters_search_and_active() throws Exception {
        repos.users().insert(data.userRecord("blocked-bert", false, UserState.BLOCKED));

        assertThat(ids(get("/users?search=ALI", bobToken))).containsExactly(alice.id().value());
        assertThat(ids(get("/users?search=alice@example.com", bobToken))).isEmpty();
        assertThat(ids(get("/users?search=alice@example.com", rootToken))).containsExactly(alice.id().value());
        assertThat(ids(get("/users?search=bert", bobToken))).hasSize(1);
        assertThat(ids(get("/users?search=bert&active=true", bobToken))).isEmpty();
    }

    @Test
    void anonymous_callers_only_look_up_one_username() throws Exception {
        HttpResponse<byte[]> all = get("/users", null);
        assertThat(all.statusCode()).isEqualTo(403);
        assertThat(text(all)).isEqualTo("{\"message\":\"403 Forbidden - Not authorized to access /api/v4/users\"}");

        HttpResponse<byte[]> one = get("/users?username=bob", null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(text(one)).isEqualTo("[" + basic(bob) + "]");
    }

    @Test
    void one_user_is_the_user_entity_for_others_and_admin_fields_for_admins() throws Exception {
        JsonNode asAlice = Json.tree(get("/users/" + bob.id(), aliceReadOnly).body());
        assertThat(fieldNames(asAlice)).containsExactly("id", "username", "name", "state", "locked", "avatar_url",
                "web_url", "created_at", "bio", "location", "public_email", "skype", "linkedin", "twitter", "discord",
                "website_url", "organization", "job_title", "pronouns", "bot", "work_information", "local_time");
        assertThat(asAlice.get("username").asText()).isEqualTo("bob");
        assertThat(asAlice.has("email")).isFalse();

        JsonNode asRoot = Json.tree(get("/users/" + bob.id(), rootToken).body());
        assertThat(asRoot.get("is_admin").asBoolean()).isFalse();
        assertThat(asRoot.get("email").asText()).isEqualTo("bob@example.com");

        assertThat(text(get("/users/" + bob.id(), null))).isEqualTo("{\"message\":\"403 Forbidden - Not authorized!\"}");
        HttpResponse<byte[]> missing = get("/users/999", aliceToken);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text(missing)).isEqualTo("{\"message\":\"404 User Not Found\"}");
        HttpResponse<byte[]> notANumber = get("/users/bob", aliceToken);
        assertThat(notANumber.statusCode()).isEqualTo(404);
        assertThat(text(notANumber)).isEqualTo("{\"error\":\"404 Not Found\"}");
    }

    @Test
    void the_current_user_needs_credentials() throws Exception {
        HttpResponse<byte[]> anonymous = get("/user", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(text(anonymous)).isEqualTo("{\"message\":\"401 Unauthorized\"}");

        HttpResponse<byte[]> self = get("/user", aliceReadOnly);
        assertThat(self.statusCode()).isEqualTo(200);
        assertThat(text(self)).isEqualTo("{\"id\":" + alice.id() + ",\"username\":\"alice\",\"name\":\"Name of alice\","
                + "\"state\":\"active\",\"locked\":false,\"avatar_url\":null,\"web_url\":\"" + base + "/alice\","
                + "\"created_at\":\"2024-05-01T10:00:00.000Z\",\"bot\":false,\"email\":\"alice@example.com\"}");
        assertThat(Json.tree(get("/user", rootToken).body()).get("is_admin").asBoolean()).isTrue();
    }

    // ------------------------------------------------------------------------------------------------- projects

    @Test
    void each_caller_lists_the_projects_they_may_see() throws Exception {
        User carol = data.user("carol");
        String carolToken = token(carol, TokenScope.READ_API);

        assertThat(ids(get("/projects", null))).containsExactly(open.id().value());
        assertThat(ids(get("/projects", carolToken))).containsExactly(inside.id().value(), open.id().value());
        assertThat(ids(get("/projects", aliceReadOnly)))
                .containsExactly(inside.id().value(), open.id().value(), secret.id().value());
        Project elsewhere = data.project("other", "hidden", Visibility.PRIVATE, false);
        assertThat(ids(get("/projects", rootToken))).containsExactly(elsewhere.id().value(), inside.id().value(),
                open.id().value(), secret.id().value());
        assertThat(get("/projects", rootToken).headers().firstValue("X-Total")).hasValue("4");
    }

    @Test
    void project_shapes_anonymous_plain_and_signed_in_with_permissions() throws Exception {
        String plainOpen = "{\"id\":" + open.id() + ",\"description\":null,\"name\":\"Project open\","
                + "\"name_with_namespace\":\"acme / Project open\",\"path\":\"open\","
                + "\"path_with_namespace\":\"acme/open\","
                + "\"visibility\":\"public\",\"public_jobs\":true,\"web_url\":\"" + base + "/acme/open\","
                + "\"created_at\":\"2024-05-01T10:00:00.000Z\",\"default_branch\":\"main\",\"repository_url\":null";
        assertThat(text(get("/projects", null))).isEqualTo("[" + plainOpen + "}]");
        assertThat(text(get("/projects/" + open.id(), null))).isEqualTo(plainOpen + "}");
        assertThat(text(get("/projects/" + open.id(), aliceToken)))
                .isEqualTo(plainOpen + ",\"permissions\":{\"project_access\":null,\"group_access\":null}}");

        JsonNode asMember = Json.tree(get("/projects/acme%2Fsecret", aliceReadOnly).body());
        assertThat(asMember.get("id").asLong()).isEqualTo(secret.id().value());
        assertThat(asMember.get("permissions").toString())
                .isEqualTo("{\"project_access\":{\"access_level\":40,\"notification_level\":3},\"group_access\":null}");
    }

    @Test
    void a_project_the_caller_may_not_see_is_not_found() throws Exception {
        for (String token : new String[] {null, token(data.user("carol"), TokenScope.API)}) {
            HttpResponse<byte[]> hidden = get("/projects/" + secret.id(), token);
            assertThat(hidden.statusCode()).isEqualTo(404);
            assertThat(text(hidden)).isEqualTo("{\"message\":\"404 Project Not Found\"}");
        }
        assertThat(text(get("/projects/acme%2Fnothing", rootToken))).isEqualTo("{\"message\":\"404 Project Not Found\"}");
        assertThat(get("/projects/" + secret.id(), rootToken).statusCode()).isEqualTo(200);
    }

    @Test
    void project_filters_visibility_search_membership_and_owned() throws Exception {
        assertThat(ids(get("/projects?visibility=internal", aliceToken))).containsExactly(inside.id().value());
        assertThat(ids(get("/projects?search=SEC", aliceToken))).containsExactly(secret.id().value());
        assertThat(ids(get("/projects?membership=true", aliceToken))).containsExactly(secret.id().value());
        assertThat(ids(get("/projects?owned=true", aliceToken))).isEmpty();
        assertThat(ids(get("/projects?owned=true", bobToken))).containsExactly(secret.id().value());
        assertThat(ids(get("/projects?membership=true", null))).isEmpty();
    }

    // -------------------------------------------------------------------------------------------------- members

    @Test
    void members_are_listed_to_signed_in_users_who_see_the_project() throws Exception {
        HttpResponse<byte[]> members = get("/projects/acme%2Fsecret/members", aliceReadOnly);

        assertThat(members.statusCode()).isEqualTo(200);
        assertThat(text(members)).isEqualTo("[" + member(alice, 40) + "," + member(bob, 50) + "]");
        assertThat(members.headers().firstValue("X-Total")).hasValue("2");
        assertThat(ids(get("/projects/" + secret.id() + "/members?query=BO", aliceToken)))
                .containsExactly(bob.id().value());
        assertThat(ids(get("/projects/" + secret.id() + "/members?user_ids=" + bob.id() + ",999", aliceToken)))
                .containsExactly(bob.id().value());
        assertThat(ids(get("/projects/" + secret.id() + "/members?user_ids[]=" + alice.id(), aliceToken)))
                .containsExactly(alice.id().value());

        HttpResponse<byte[]> anonymous = get("/projects/" + open.id() + "/members", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<byte[]> outsider = get("/projects/" + secret.id() + "/members",
                token(data.user("carol"), TokenScope.API));
        assertThat(outsider.statusCode()).isEqualTo(404);
        assertThat(text(outsider)).isEqualTo("{\"message\":\"404 Project Not Found\"}");
    }

    @Test
    void one_member_or_a_record_miss() throws Exception {
        assertThat(text(get("/projects/" + secret.id() + "/members/" + bob.id(), aliceReadOnly)))
                .isEqualTo(member(bob, 50));
        HttpResponse<byte[]> notAMember = get("/projects/" + secret.id() + "/members/" + root.id(), rootToken);
        assertThat(notAMember.statusCode()).isEqualTo(404);
        assertThat(text(notAMember)).isEqualTo("{\"message\":\"404 Not found\"}");
        assertThat(get("/projects/" + secret.id() + "/members/" + bob.id(), null).statusCode()).isEqualTo(401);
    }

    // ----------------------------------------------------------------------------------------- malformed input

    @Test
    void malformed_parameters_are_400_with_grapes_messages() throws Exception {
        assertBadRequest(get("/users?active=maybe", rootToken), "active is invalid");
        assertBadRequest(get("/users?per_page=0", rootToken), "per_page has a value not allowed");
        assertBadRequest(get("/users?page=first", rootToken), "page is invalid");
        assertBadRequest(get("/users?username[]=a", rootToken), "username is invalid");
        assertBadRequest(get("/projects?visibility=secret", null), "visibility does not have a valid value");
        assertBadRequest(get("/projects?membership=perhaps", aliceToken), "membership is invalid");
        assertBadRequest(get("/projects?owned=2", aliceToken), "owned is invalid");
        assertBadRequest(get("/projects?search[a]=b", aliceToken), "search is invalid");
        assertBadRequest(get("/projects/" + secret.id() + "/members?user_ids=1,two", aliceToken),
                "user_ids is invalid");
        assertBadRequest(get("/projects/" + secret.id() + "/members/bob", aliceToken), "user_id is invalid");
    }

    @Test
    void read_api_tokens_read_but_never_write() throws Exception {
        assertThat(get("/users", aliceReadOnly).statusCode()).isEqualTo(200);
        assertThat(get("/projects/" + secret.id() + "/members", aliceReadOnly).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> write = client.send(request("/projects", aliceReadOnly)
                .POST(HttpRequest.BodyPublishers.ofString("name=x"))
                .header("Content-Type", "application/x-www-form-urlencoded").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(write.statusCode()).isEqualTo(403);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private String token(User user, TokenScope scope) {
        return services.accessTokens().createForUser(Actor.UserActor.withFullAccess(root), user.id(), "t",
                Set.of(scope), null).secret();
    }

    private String basic(User user) {
        return "{\"id\":" + user.id() + ",\"username\":\"" + user.username() + "\",\"name\":\"" + user.name()
                + "\",\"state\":\"active\",\"locked\":false,\"avatar_url\":null,\"web_url\":\"" + base + "/"
                + user.username() + "\"}";
    }

    private String member(User user, int level) {
        return "{\"id\":" + user.id() + ",\"username\":\"" + user.username() + "\",\"name\":\"" + user.name()
                + "\",\"state\":\"active\",\"locked\":false,\"avatar_url\":null,\"web_url\":\"" + base + "/"
                + user.username() + "\",\"access_level\":" + level + ",\"expires_at\":null}";
    }

    private void assertBadRequest(HttpResponse<byte[]> response, String error) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response)).isEqualTo("{\"error\":\"" + error + "\"}");
    }

    private static List<Long> ids(HttpResponse<byte[]> response) throws IOException {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        Json.tree(response.body()).forEach(node -> ids.add(node.get("id").asLong()));
        return ids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private HttpResponse<byte[]> get(String path, String token) throws IOException, InterruptedException {
        return client.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
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
