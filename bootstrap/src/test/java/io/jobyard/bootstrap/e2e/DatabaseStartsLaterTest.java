package io.jobyard.bootstrap.e2e;

import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A standalone server started before its PostgreSQL (containers started side by side) waits for it instead of
 * giving up, then migrates and serves.
 */
class DatabaseStartsLaterTest {

    @TempDir
    Path dir;

    @Test
    void theServerWaitsForADatabaseThatComesUpAfterIt() throws Exception {
        // Initialised once beforehand, so the later start is a quick restart rather than a slow initdb.
        int pgPort;
        try (EmbeddedPostgres initialised = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg"))
                .setCleanDataDirectory(false).start()) {
            pgPort = initialised.getPort();
        }
        Map<String, String> env = Map.of(
                "JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1", "JOBYARD_DATA_DIR", dir.resolve("data").toString(),
                "JOBYARD_ADMIN_TOKEN", "glpat-database-starts-later-01",
                "JOBYARD_DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
                "JOBYARD_DB_USER", "postgres", "JOBYARD_DB_PASSWORD", "postgres");
        CompletableFuture<Standalone> starting = CompletableFuture.supplyAsync(
                () -> Standalone.start(Configuration.from(env)));
        // The database starts only once the server has been trying to reach it for a while, and waits all along.
        await("still waiting for the database").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> !starting.isDone());

        try (EmbeddedPostgres postgres = startPostgres(pgPort);
             Standalone server = starting.get(2, TimeUnit.MINUTES)) {
            HttpApi api = new HttpApi(URI.create("http://127.0.0.1:" + server.port() + "/api/v4"));
            assertThat(api.get("/user", "glpat-database-starts-later-01").json().get("username").asText())
                    .isEqualTo("root");
            assertThat(postgres.getPort()).isEqualTo(pgPort);
        }
    }

    private EmbeddedPostgres startPostgres(int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(false)
                .setPort(port).start();
    }
}
