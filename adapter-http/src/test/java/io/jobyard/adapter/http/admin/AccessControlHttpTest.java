package io.jobyard.adapter.http.admin;

import io.jobyard.application.Services;
import io.jobyard.application.memory.InMemoryPorts;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.JobsApi;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.service.MutableClock;
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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 §3 over HTTP: who may mint tokens, GitLab's token lifecycle (list, read, revoke, rotate, "self"), the
 * lifetime limit, and an administrator's block, unblock, deactivate, activate and delete — each with GitLab's status
 * and body, and each cutting off (or restoring) the tokens it concerns with the next request.
 */
class AccessControlHttpTest {
    private static final String PREFIX = "/api/v4";
    /** 2026-03-02: a token may live until 2027-03-02. */
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryPorts ports = new InMemoryPorts(clock);
    private final Repositories repos = ports.repos;
    private final Services services = ports.wire(Services.Settings.defaults(URI.create("http://localhost")));
    private Undertow server;
    private String base;
    private String rootToken;
    private long aliceId;
    private String aliceToken;

    @BeforeEach
    void start() throws Exception {
        rootToken = services.firstAdministrator().ensure(null).orElseThrow();
        PathHandler root = Handlers.path();
        server = Undertow.builder().setServerOption(UndertowOptions.DECODE_URL, false)
                .addHttpListener(0, "127.0.0.1").setHandler(root).build();
        server.start();
        base = "http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        JobsApi api = JobsApi.builder(HttpSettings.of(URI.create(base)), clock, services.authenticate())
                .admin(new JobsApi.AdminUseCases(services.users(), services.projects(), services.members(),
                        services.accessTokens(), null)).build();
        root.addPrefixPath("/", api.handler());
        aliceId = Json.tree(post("/users", Map.of("username", "alice", "name", "Alice", "email", "a@example.com"),
                rootToken).body()).get("id").asLong();
        aliceToken = token(aliceId, "api");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    // ------------------------------------------------------------------------------------------ who mints tokens

    @Test
    void only_an_administrator_creates_tokens_for_a_user_not_even_the_user_themself() throws Exception {
        HttpResponse<byte[]> own = post("/users/" + aliceId + "/personal_access_tokens",
                Map.of("name", "more", "scopes", List.of("api")), aliceToken);

        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(text(own)).isEqualTo("{\"message\":\"403 Forbidden\"}");
        assertThat(repos.users().tokensOf(io.jobyard.domain.user.UserId.of(aliceId))).hasSize(1);
    }

    @Test
    void a_new_token_lives_a_year_at_most_and_a_year_without_a_date() throws Exception {
        HttpResponse<byte[]> undated = post("/users/" + aliceId + "/personal_access_tokens",
                Map.of("name", "undated", "scopes", List.of("api")), rootToken);
        assertThat(undated.statusCode()).isEqualTo(201);
        assertThat(Json.tree(undated.body()).get("expires_at").asText()).isEqualTo("2027-03-02");

        for (String tooLate : new String[]{"2027-03-03", "9999-12-31"}) {
            HttpResponse<byte[]> refused = post("/users/" + aliceId + "/personal_access_tokens",
                    Map.of("name", "late", "scopes", List.of("api"), "expires_at", tooLate), rootToken);
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(text(refused)).isEqualTo("{\"message\":\"Expires at must be before 2027-03-02\"}");
        }
    }

    @Test
    void a_user_gives_themself_only_a_k8s_proxy_token_which_reaches_nothing_but_itself() throws Exception {
        HttpResponse<byte[]> api = post("/user/personal_access_tokens",
                Map.of("name", "mine", "scopes", List.of("api")), aliceToken);
        assertThat(api.statusCode()).isEqualTo(400);
        assertThat(text(api)).isEqualTo("{\"error\":\"scopes does not have a valid value\"}");

        HttpResponse<byte[]> created = post("/user/personal_access_tokens",
                Map.of("name", "agent", "scopes", List.of("k8s_proxy")), aliceToken);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode narrow = Json.tree(created.body());
        assertThat(narrow.get("scopes").toString()).isEqualTo("[\"k8s_proxy\"]");
        assertThat(narrow.get("expires_at").asText()).isEqualTo("2026-03-03");
        assertThat(narrow.get("user_id").asLong()).isEqualTo(aliceId);
        String narrowToken = narrow.get("token").asText();

        HttpResponse<byte[]> elsewhere = get("/user", narrowToken);
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(text(elsewhere)).isEqualTo("{\"error\":\"insufficient_scope\",\"error_description\":\"The request "
                + "requires higher privileges than provided by the access token.\",\"scope\":\"api read_api\"}");
        assertThat(post("/user/personal_access_tokens", Map.of("name", "x", "scopes", List.of("k8s_proxy")),
                narrowToken).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> self = get("/personal_access_tokens/self", narrowToken);
        assertThat(self.statusCode()).isEqualTo(200);
        assertThat(Json.tree(self.body()).get("id").asLong()).isEqualTo(narrow.get("id").asLong());
    }

    // ------------------------------------------------------------------------------------- list, read, revoke

    @Test
    void a_token_reads_as_gitlabs_entity_without_its_secret() throws Exception {
        JsonNode created = Json.tree(post("/users/" + aliceId + "/personal_access_tokens",
                Map.of("name", "ci", "scopes", List.of("read_api", "api"), "expires_at", "2026-12-31"),
                rootToken).body());
        long id = created.get("id").asLong();
        clock.advance(Duration.ofMinutes(1));
        get("/user", created.get("token").asText());

        HttpResponse<byte[]> read = get("/personal_access_tokens/" + id, aliceToken);

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(text(read)).isEqualTo("{\"id\":" + id + ",\"name\":\"ci\",\"revoked\":false,\"created_at\":"
                + "\"2026-03-02T09:00:00.000Z\",\"description\":null,\"scopes\":[\"api\",\"read_api\"],\"user_id\":"
                + aliceId + ",\"last_used_at\":\"2026-03-02T09:01:00.000Z\",\"active\":true,\"expires_at\":"
                + "\"2026-12-31\"}");
    }

    @Test
    void a_user_lists_their_own_tokens_an_administrator_anyones_with_gitlabs_filters() throws Exception {
        long second = Json.tree(post("/users/" + aliceId + "/personal_access_tokens",
                Map.of("name", "nightly", "scopes", List.of("read_api")), rootToken).body()).get("id").asLong();
        assertThat(send("DELETE", "/personal_access_tokens/" + second, aliceToken).statusCode()).isEqualTo(204);

        HttpResponse<byte[]> own = get("/personal_access_tokens", aliceToken);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.headers().firstValue("X-Total")).hasValue("2");
        assertThat(names(own)).containsExactly("token", "nightly");
        assertThat(names(get("/personal_access_tokens?state=inactive", aliceToken))).containsExactly("nightly");
        assertThat(names(get("/personal_access_tokens?revoked=false", aliceToken))).containsExactly("token");
        assertThat(names(get("/personal_access_tokens?search=NIGHT&sort=name_desc", aliceToken)))
                .containsExactly("nightly");
        assertThat(names(get("/personal_access_tokens?sort=id_desc", aliceToken))).containsExactly("nightly", "token");
        assertThat(names(get("/personal_access_tokens?user_id=" + aliceId, rootToken)))
                .containsExactly("token", "nightly");
        assertThat(names(get("/personal_access_tokens", rootToken)))
                .containsExactly("initial administrator token", "token", "nightly");

        HttpResponse<byte[]> strangers = get("/personal_access_tokens?user_id=1", aliceToken);
        assertThat(strangers.statusCode()).isEqualTo(401);
        assertThat(text(strangers)).isEqualTo("{\"message\":\"401 Unauthorized\"}");
        assertThat(text(get("/personal_access_tokens?user_id=999", rootToken)))
                .isEqualTo("{\"message\":\"404 Not found\"}");
        assertThat(text(get("/personal_access_tokens?state=dormant", aliceToken)))
                .isEqualTo("{\"error\":\"state does not have a valid value\"}");
        assertThat(text(get("/personal_access_tokens?created_after=yesterday", aliceToken)))
                .isEqualTo("{\"error\":\"created_after is invalid\"}");
        assertThat(get("/personal_access_tokens", null).statusCode()).isEqualTo(401);
    }

    @Test
    void a_revoked_token_stops_at_once_with_gitlabs_oauth_answer_and_strangers_may_not_revoke() throws Exception {
        long aliceTokenId = selfId(aliceToken);
        String bobToken = token(Json.tree(post("/users", Map.of("username", "bob", "name", "Bob",
                "email", "b@example.com"), rootToken).body()).get("id").asLong(), "api");

        HttpResponse<byte[]> byStranger = send("DELETE", "/personal_access_tokens/" + aliceTokenId, bobToken);
        assertThat(byStranger.statusCode()).isEqualTo(400);
        assertThat(text(byStranger)).isEqualTo("{\"message\":\"400 Bad request\"}");
        assertThat(text(get("/personal_access_tokens/" + aliceTokenId, bobToken)))
                .isEqualTo("{\"message\":\"401 Unauthorized\"}");
        assertThat(text(send("DELETE", "/personal_access_tokens/999", bobToken)))
                .isEqualTo("{\"message\":\"404 Not found\"}");
        assertThat(get("/user", aliceToken).statusCode()).isEqualTo(200);

        assertThat(send("DELETE", "/personal_access_tokens/self", aliceToken).statusCode()).isEqualTo(204);

        HttpResponse<byte[]> after = get("/user", aliceToken);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(text(after)).isEqualTo("{\"error\":\"invalid_token\",\"error_description\":\"Token was revoked. "
                + "You have to re-authorize from the user.\"}");
        assertThat(after.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("error=\"invalid_token\""));
    }

    // --------------------------------------------------------------------------------------------------- rotate

    @Test
    void rotation_answers_the_successor_once_and_reuse_of_the_old_token_revokes_the_successor() throws Exception {
        HttpResponse<byte[]> rotated = post("/personal_access_tokens/self/rotate", Map.of(), aliceToken);

        assertThat(rotated.statusCode()).isEqualTo(200);
        JsonNode successor = Json.tree(rotated.body());
        assertThat(successor.get("name").asText()).isEqualTo("token");
        assertThat(successor.get("expires_at").asText()).isEqualTo("2026-03-09");
        String successorToken = successor.get("token").asText();
        assertThat(get("/user", aliceToken).statusCode()).isEqualTo(401);
        assertThat(get("/user", successorToken).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> again = post("/personal_access_tokens/" + selfId(successorToken) + "/rotate",
                Map.of("expires_at", "2027-03-03"), successorToken);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(text(again)).isEqualTo("{\"message\":\"400 Bad request - Expires at must be before 2027-03-02\"}");

        // Someone holding the rotated-away token tries to rotate it: the family is revoked.
        HttpResponse<byte[]> reuse = post("/personal_access_tokens/self/rotate", Map.of(), aliceToken);
        assertThat(reuse.statusCode()).isEqualTo(401);
        assertThat(get("/user", successorToken).statusCode()).isEqualTo(401);
    }

    @Test
    void a_read_only_token_neither_rotates_nor_revokes_others() throws Exception {
        String readOnly = token(aliceId, "read_api");
        HttpResponse<byte[]> refused = post("/personal_access_tokens/" + selfId(aliceToken) + "/rotate", Map.of(),
                readOnly);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Json.tree(refused.body()).get("scope").asText()).isEqualTo("api");
        assertThat(send("DELETE", "/personal_access_tokens/" + selfId(aliceToken), readOnly).statusCode())
                .isEqualTo(403);
        assertThat(Json.tree(post("/personal_access_tokens/self/rotate", Map.of(), readOnly).body())
                .get("scope").asText()).isEqualTo("api self_rotate");
        assertThat(get("/user", aliceToken).statusCode()).isEqualTo(200);
    }

    // ---------------------------------------------------------------------------------------------------- users

    @Test
    void blocking_cuts_a_user_off_and_the_answers_are_gitlabs() throws Exception {
        HttpResponse<byte[]> blocked = post("/users/" + aliceId + "/block", Map.of(), rootToken);
        assertThat(blocked.statusCode()).isEqualTo(201);
        assertThat(text(blocked)).isEqualTo("true");
        assertThat(get("/user", aliceToken).statusCode()).isEqualTo(401);
        assertThat(text(post("/users/" + aliceId + "/block", Map.of(), rootToken))).isEqualTo("null");
        assertThat(text(post("/users/" + aliceId + "/activate", Map.of(), rootToken)))
                .isEqualTo("{\"message\":\"403 Forbidden - A blocked user must be unblocked to be activated\"}");
        assertThat(text(post("/users/" + aliceId + "/deactivate", Map.of(), rootToken)))
                .isEqualTo("{\"message\":\"Error occurred. A blocked user cannot be deactivated\"}");

        assertThat(text(post("/users/" + aliceId + "/unblock", Map.of(), rootToken))).isEqualTo("true");
        assertThat(get("/user", aliceToken).statusCode()).isEqualTo(200);
        assertThat(text(post("/users/" + aliceId + "/unblock", Map.of(), rootToken))).isEqualTo("false");

        HttpResponse<byte[]> self = post("/users/1/block", Map.of(), rootToken);
        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(text(self)).isEqualTo(
                "{\"message\":\"403 Forbidden - The API initiating user cannot be blocked by the API\"}");
        assertThat(post("/users/1/block", Map.of(), aliceToken).statusCode()).isEqualTo(403);
        assertThat(text(post("/users/999/block", Map.of(), rootToken)))
                .isEqualTo("{\"message\":\"404 User Not Found\"}");
        assertThat(text(post("/users/alice/block", Map.of(), rootToken))).isEqualTo("{\"error\":\"404 Not Found\"}");
    }

    @Test
    void a_recently_active_user_is_not_deactivated_a_dormant_one_is() throws Exception {
        get("/user", aliceToken);
        HttpResponse<byte[]> refused = post("/users/" + aliceId + "/deactivate", Map.of(), rootToken);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(text(refused)).isEqualTo("{\"message\":\"The user you are trying to deactivate has been active in "
                + "the past 90 days and cannot be deactivated\"}");

        clock.advance(Duration.ofDays(91));
        assertThat(text(post("/users/" + aliceId + "/deactivate", Map.of(), rootToken))).isEqualTo("true");
        assertThat(get("/user", aliceToken).statusCode()).isEqualTo(401);
        assertThat(text(post("/users/" + aliceId + "/deactivate", Map.of(), rootToken))).isEqualTo("null");
        assertThat(text(post("/users/" + aliceId + "/activate", Map.of(), rootToken))).isEqualTo("true");
        assertThat(get("/user", aliceToken).statusCode()).isEqualTo(200);
    }

    @Test
    void a_deleted_user_is_gone_with_their_tokens() throws Exception {
        HttpResponse<byte[]> deleted = send("DELETE", "/users/" + aliceId, rootToken);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(get("/user", aliceToken).statusCode()).isEqualTo(401);
        assertThat(text(get("/users/" + aliceId, rootToken))).isEqualTo("{\"message\":\"404 User Not Found\"}");
        assertThat(text(send("DELETE", "/users/1", rootToken))).isEqualTo(
                "{\"message\":\"User cannot be removed while they are the only active administrator\"}");
        assertThat(send("DELETE", "/users/1", null).statusCode()).isEqualTo(401);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private String token(long userId, String scope) throws IOException, InterruptedException {
        HttpResponse<byte[]> created = post("/users/" + userId + "/personal_access_tokens",
                Map.of("name", "token", "scopes", List.of(scope)), rootToken);
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        return Json.tree(created.body()).get("token").asText();
    }

    private long selfId(String token) throws IOException, InterruptedException {
        return Json.tree(get("/personal_access_tokens/self", token).body()).get("id").asLong();
    }

    private static List<String> names(HttpResponse<byte[]> listing) throws IOException {
        assertThat(listing.statusCode()).as(text(listing)).isEqualTo(200);
        List<String> names = new java.util.ArrayList<>();
        Json.tree(listing.body()).forEach(token -> names.add(token.get("name").asText()));
        return names;
    }

    private HttpResponse<byte[]> post(String path, Map<String, Object> body, String token)
            throws IOException, InterruptedException {
        return client.send(request(path, token).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofByteArray(Json.write(new LinkedHashMap<>(body)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path, String token) throws IOException, InterruptedException {
        return client.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> send(String method, String path, String token)
            throws IOException, InterruptedException {
        return client.send(request(path, token).method(method, BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + PREFIX + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("PRIVATE-TOKEN", token);
        }
        return builder;
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
