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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
        Jobyard jobyard = jobyardOn(postgres);
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

    /**
     * The same outage with eight clients requesting all along (a user read, a project job list, a runner asking for
     * a job): every answer is what the request gets with the database up or a GitLab-shaped 503, never a 500, and the
     * clients are served again after the restart without anything done to Jobyard.
     */
    @Test
    void underLoadEveryAnswerIsTheNormalOneOr503() throws Exception {
        Path data = dir.resolve("pgdata");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .start();
        int pgPort = postgres.getPort();
        Jobyard jobyard = jobyardOn(postgres);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (JobyardServer server = new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(5),
                jobyard::ready).start()) {
            String base = "http://127.0.0.1:" + server.port() + "/api/v4";
            Map<String, Integer> normal = Map.of("/user", 200, "/projects/1/jobs", 404, "/jobs/request", 403);
            Map<String, Set<Integer>> seen = new ConcurrentHashMap<>();
            List<String> unexpected = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger served = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                running.add(clients.submit(() -> {
                    while (!stop.get()) {
                        for (String path : normal.keySet()) {
                            HttpResponse<String> response = path.equals("/jobs/request")
                                    ? post(base + path, "{\"token\":\"glrt-not-a-runner\"}")
                                    : get(base + path);
                            int status = response.statusCode();
                            seen.computeIfAbsent(path, k -> ConcurrentHashMap.newKeySet()).add(status);
                            if (status == 503) {
                                if (!response.body().equals("{\"message\":\"503 Service Unavailable\"}")) {
                                    unexpected.add(path + " 503 " + response.body());
                                }
                            } else if (status != normal.get(path)) {
                                unexpected.add(path + " " + status + " " + response.body());
                            }
                            served.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            awaitServed(served, 200);
            postgres.close();
            awaitServed(served, served.get() + 200);
            try (EmbeddedPostgres restarted = EmbeddedPostgres.builder().setDataDirectory(data)
                    .setCleanDataDirectory(false).setPort(pgPort).start()) {
                HttpResponse<String> back = get(base + "/user");
                for (int attempt = 0; attempt < 40 && back.statusCode() == 503; attempt++) {
                    back = get(base + "/user");
                }
                assertThat(back.statusCode()).isEqualTo(200);
                awaitServed(served, served.get() + 200);
                stop.set(true);
                for (Future<?> client : running) {
                    client.get(30, TimeUnit.SECONDS);
                }
            }
            System.out.printf("outage under load: %d requests, statuses %s%n", served.get(), seen);
            assertThat(unexpected).isEmpty();
            assertThat(seen.get("/user")).contains(200, 503);
            assertThat(seen.get("/projects/1/jobs")).contains(404, 503);
            assertThat(seen.get("/jobs/request")).contains(403, 503);
        } finally {
            clients.shutdownNow();
            jobyard.close();
        }
    }

    private Jobyard jobyardOn(EmbeddedPostgres postgres) {
        HikariDataSource pool = DataSources.create(DataSources.Settings.of(
                postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", 3)
                .withConnectionTimeout(Duration.ofMillis(500)));
        Jobyard jobyard = Jobyard.builder().ownedDataSource(pool, pool).filesystemStorage(dir.resolve("files"))
                .build();
        jobyard.ensureFirstAdministrator(TOKEN);
        return jobyard;
    }

    private static void awaitServed(AtomicInteger served, int atLeast) {
        // Bounded: the clients get an answer within the pool's 500 ms timeout whatever the database does.
        await("requests answered").atMost(Duration.ofMinutes(1)).until(served::get, n -> n >= atLeast);
    }

    private HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("PRIVATE-TOKEN", TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
