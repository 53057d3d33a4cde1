package io.jobyard.bootstrap.reliability;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 §3, "at once, on every instance": two Jobyard servers, each with its own connection pool, share one
 * PostgreSQL. Whatever an administrator does through one — block, deactivate, delete a user, revoke or rotate a token,
 * reset a runner's token — the other honours with the very next request, because authentication remembers nothing
 * between requests.
 */
class TwoInstancesAccessControlTest {
    private static final String ADMIN_TOKEN = "two-instances-access-admin-token-0123";

    @TempDir
    static Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    // One database and two instances for the class: each test works on users and runners of its own.
    private static final byte[] SHARED_KEY = new byte[32];
    private static EmbeddedPostgres postgres;
    private static final List<Jobyard> instances = new ArrayList<>();
    private static final List<JobyardServer> servers = new ArrayList<>();
    private static Api a;
    private static Api b;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
        for (int i = 0; i < 2; i++) {
            HikariDataSource pool = DataSources.create(DataSources.Settings.of(jdbcUrl, "postgres", "postgres", 3));
            // Instances sharing a database share the key its variables are sealed with.
            Jobyard jobyard = Jobyard.builder().ownedDataSource(pool, pool).filesystemStorage(dir.resolve("i" + i))
                    .encryptionKey(SHARED_KEY).build();
            instances.add(jobyard);
            servers.add(new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(5),
                    jobyard::ready).start());
        }
        instances.get(0).ensureFirstAdministrator(ADMIN_TOKEN);
        a = new Api("http://127.0.0.1:" + servers.get(0).port(), ADMIN_TOKEN);
        b = new Api("http://127.0.0.1:" + servers.get(1).port(), ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() throws IOException {
        servers.forEach(JobyardServer::close);
        instances.forEach(Jobyard::close);
        postgres.close();
    }

    private int status(String base, String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v4" + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("PRIVATE-TOKEN", token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String userWithToken(String username) throws Exception {
        long id = a.adminExpect("POST", "/users", "username=" + username + "&name=" + username + "&email="
                + username + "%40example.com", 201).get("id").asLong();
        return b.adminExpect("POST", "/users/" + id + "/personal_access_tokens", "name=t&scopes%5B%5D=api", 201)
                .get("token").asText();
    }

    private long idOf(String token) throws Exception {
        HttpResponse<String> self = client.send(HttpRequest.newBuilder(URI.create(a.base() + "/api/v4/user"))
                .header("PRIVATE-TOKEN", token).GET().build(), HttpResponse.BodyHandlers.ofString());
        return Api.JSON.readTree(self.body()).get("id").asLong();
    }

    @Test
    void a_block_deactivation_or_deletion_through_one_instance_cuts_the_user_off_on_the_other_at_once()
            throws Exception {
        String alice = userWithToken("alice");
        long aliceId = idOf(alice);
        assertThat(status(b.base(), "GET", "/user", alice)).isEqualTo(200);

        a.adminExpect("POST", "/users/" + aliceId + "/block", null, 201);
        assertThat(status(b.base(), "GET", "/user", alice)).isEqualTo(401);
        b.adminExpect("POST", "/users/" + aliceId + "/unblock", null, 201);
        assertThat(status(a.base(), "GET", "/user", alice)).isEqualTo(200);

        String bob = userWithToken("bob"); // never used: dormant, so it may be deactivated
        long bobId = a.adminExpect("GET", "/users?username=bob", null, 200).get(0).get("id").asLong();
        b.adminExpect("POST", "/users/" + bobId + "/deactivate", null, 201);
        assertThat(status(a.base(), "GET", "/user", bob)).isEqualTo(401);

        assertThat(b.admin("DELETE", "/users/" + aliceId, null).status()).isEqualTo(204);
        assertThat(status(a.base(), "GET", "/user", alice)).isEqualTo(401);
    }

    @Test
    void a_token_revoked_or_rotated_through_one_instance_stops_on_the_other_at_once() throws Exception {
        String carol = userWithToken("carol");
        assertThat(status(a.base(), "GET", "/user", carol)).isEqualTo(200);

        HttpResponse<String> rotated = client.send(HttpRequest.newBuilder(
                        URI.create(b.base() + "/api/v4/personal_access_tokens/self/rotate"))
                .header("PRIVATE-TOKEN", carol).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rotated.statusCode()).isEqualTo(200);
        String successor = Api.JSON.readTree(rotated.body()).get("token").asText();
        assertThat(status(a.base(), "GET", "/user", carol)).isEqualTo(401);
        assertThat(status(a.base(), "GET", "/user", successor)).isEqualTo(200);

        assertThat(status(a.base(), "DELETE", "/personal_access_tokens/self", successor)).isEqualTo(204);
        assertThat(status(b.base(), "GET", "/user", successor)).isEqualTo(401);
    }

    @Test
    void a_runner_token_reset_through_one_instance_stops_the_old_token_on_the_other_at_once() throws Exception {
        String leaked = a.createRunner();
        long runnerId = Api.JSON.readTree(client.send(HttpRequest.newBuilder(
                        URI.create(b.base() + "/api/v4/runners/verify")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + leaked + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("id").asLong();

        String renewed = a.adminExpect("POST", "/runners/" + runnerId + "/reset_authentication_token", null, 201)
                .get("token").asText();

        assertThat(b.requestJob(leaked).status()).isEqualTo(403);
        assertThat(b.requestJob(renewed).status()).isEqualTo(204);
        assertThat(b.admin("DELETE", "/runners/" + runnerId, null).status()).isEqualTo(204);
        assertThat(a.requestJob(renewed).status()).isEqualTo(403);
    }
}
