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
 * reset a runner's token, remove or demote a member, make a project private — the other honours with the very next
 * request. Issue 18: the instances keep tokens, users and project roles in memory, so every test first makes the
 * other instance read (and keep) what is about to change; the access version the change bumps is what refuses it.
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
    private static String jdbcUrl;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
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

    private int status(Api on, String path, String token) throws Exception {
        return status(on.base(), "GET", path, token);
    }

    /** Asks twice: the first request reads from the database and keeps it, the second is served from memory. */
    private void assertKept(Api on, String path, String token, int expected) throws Exception {
        assertThat(status(on, path, token)).as(path).isEqualTo(expected);
        assertThat(status(on, path, token)).as(path).isEqualTo(expected);
    }

    /** A manual job, which no runner of the other tests picks up. */
    private long jobOf(long project, int sequence) throws Exception {
        return a.createPipeline(project, "build: {script: [make], when: manual}", sequence).get(0);
    }

    @Test
    void a_member_removed_or_demoted_through_one_instance_loses_the_project_on_the_other_at_once() throws Exception {
        long project = a.createProject("team", "members-" + System.nanoTime());
        // Without public pipelines a private project's jobs need Reporter: a Guest sees the project, not its jobs.
        a.adminExpect("PUT", "/projects/" + project, "public_jobs=false", 200);
        String path = a.adminExpect("GET", "/projects/" + project, null, 200).get("path_with_namespace").asText();
        long job = jobOf(project, 1);
        String erin = userWithToken("erin");
        long erinId = idOf(erin);
        String byId = "/projects/" + project + "/jobs/" + job;
        String byPath = "/projects/" + Api.encode(path) + "/jobs/" + job;
        b.adminExpect("POST", "/projects/" + project + "/members", "user_id=" + erinId + "&access_level=20", 201);
        assertKept(a, byId, erin, 200);
        assertKept(a, byPath, erin, 200);

        // Demoted to Guest: a private project's jobs need Reporter.
        b.adminExpect("POST", "/projects/" + project + "/members", "user_id=" + erinId + "&access_level=10", 201);
        assertThat(status(a, byId, erin)).isEqualTo(403);
        assertThat(status(a, byPath, erin)).isEqualTo(403);

        // Promoted again: granted as exactly.
        b.adminExpect("POST", "/projects/" + project + "/members", "user_id=" + erinId + "&access_level=20", 201);
        assertKept(a, byId, erin, 200);

        assertThat(b.admin("DELETE", "/projects/" + project + "/members/" + erinId, null).status()).isEqualTo(204);
        assertThat(status(a, byId, erin)).isEqualTo(404);
        assertThat(status(a, byPath, erin)).isEqualTo(404);
    }

    @Test
    void a_project_made_private_through_one_instance_is_hidden_on_the_other_at_once() throws Exception {
        long project = a.adminExpect("POST", "/projects", "name=open-" + System.nanoTime()
                + "&namespace_path=team&visibility=public", 201).get("id").asLong();
        long job = jobOf(project, 2);
        String frank = userWithToken("frank"); // not a member: a public project's jobs are open to everyone
        String jobPath = "/projects/" + project + "/jobs/" + job;
        assertKept(a, "/projects/" + project, null, 200);
        assertKept(a, jobPath, frank, 200);

        b.adminExpect("PUT", "/projects/" + project, "visibility=private", 200);
        assertThat(status(a, "/projects/" + project, null)).isEqualTo(404);
        assertThat(status(a, jobPath, frank)).isEqualTo(404);
    }

    /**
     * Proves that the instances do keep what they read, and that the access version is what ends it: a token
     * revoked behind the repositories' back (no version change) still works on an instance that kept it, and is
     * refused the moment the version changes. Without the bump in the repositories' writes every test above would
     * fail the same way.
     */
    @Test
    void a_change_that_does_not_bump_the_access_version_goes_unseen_until_the_version_changes() throws Exception {
        String grace = userWithToken("grace");
        long graceId = idOf(grace);
        assertKept(a, "/user", grace, 200);

        try (java.sql.Connection db = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             java.sql.Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE personal_access_tokens SET revoked = TRUE WHERE user_id = " + graceId);
            assertThat(status(a, "/user", grace)).as("kept: the revocation made no version change").isEqualTo(200);

            sql.executeUpdate("UPDATE access_version SET version = version + 1 WHERE id = 1");
        }
        assertThat(status(a, "/user", grace)).isEqualTo(401);
        assertThat(status(b, "/user", grace)).isEqualTo(401);
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
