package io.jobyard.bootstrap.e2e;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL goes away under a running server: requests are answered 503 with GitLab's body, quickly, without a stack
 * trace, readiness says so — and once the database is back the same server serves again without a restart.
 */
class DatabaseOutageHttpTest {
    private static final String TOKEN = "outage-admin-token-0123456789";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answers503WhileTheDatabaseIsDownAndRecoversOnItsOwn() throws Exception {
        Path data = dir.resolve("pgdata");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .start();
        int pgPort = postgres.getPort();
        HikariDataSource pool = DataSources.create(DataSources.Settings.of(
                postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", 3)
                .withConnectionTimeout(Duration.ofMillis(500)));
        Jobyard jobyard = Jobyard.builder().ownedDataSource(pool, pool).filesystemStorage(dir.resolve("files"))
                .build();
        jobyard.ensureFirstAdministrator(TOKEN);
        try (JobyardServer server = new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(5),
                jobyard::ready).start()) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(get(base + "/api/v4/projects/1/jobs").body()).isEqualTo("{\"message\":\"404 Project Not Found\"}");

            postgres.close();

            long started = System.nanoTime();
            HttpResponse<String> down = get(base + "/api/v4/projects/1/jobs");
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"message\":\"503 Service Unavailable\"}");
            // How fast is reported, not asserted: the pool's 500 ms connection timeout bounds it by construction.
            System.out.printf("503 answered %d ms after the database went away%n", millis);
            assertThat(get(base + "/-/readiness").statusCode()).isEqualTo(503);

            try (EmbeddedPostgres restarted = EmbeddedPostgres.builder().setDataDirectory(data)
                    .setCleanDataDirectory(false).setPort(pgPort).start()) {
                HttpResponse<String> back = null;
                for (int attempt = 0; attempt < 20; attempt++) {
                    back = get(base + "/api/v4/projects/1/jobs");
                    if (back.statusCode() != 503) {
                        break;
                    }
                }
                assertThat(back.statusCode()).isEqualTo(404);
                assertThat(back.body()).isEqualTo("{\"message\":\"404 Project Not Found\"}");
                assertThat(get(base + "/-/readiness").statusCode()).isEqualTo(200);
            }
        } finally {
            jobyard.close();
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("PRIVATE-TOKEN", TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
