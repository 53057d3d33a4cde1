package io.jobyard.bootstrap.e2e;

import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Long polling as the standalone server wires it: a runner whose queue is unchanged is held until a pipeline created
 * over HTTP queues a job for it, and a server stopping answers the requests it holds instead of cutting them off
 * when its grace period ends.
 */
class LongPollingEndToEndTest {
    private static final String ADMIN = "glpat-long-polling-admin-0001";

    @TempDir
    Path dataDir;

    private Standalone server;
    private HttpApi api;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aHeldRunnerGetsTheJobOfAPipelineCreatedWhileItWaits() throws Exception {
        start();
        long project = api.json("POST", "/projects", ADMIN, Map.of("name", "poll", "namespace_path", "acme"))
                .json().get("id").asLong();
        ScriptedRunner runner = ScriptedRunner.create(api, ADMIN, "poller");
        String lastUpdate = lastUpdateOf(runner.poll());

        CompletableFuture<HttpApi.Response> held = CompletableFuture.supplyAsync(() -> runner.poll(lastUpdate));
        awaitHeld();

        HttpApi.Response pipeline = api.json("POST", "/projects/" + project + "/pipeline", ADMIN, Map.of(
                "ref", "main", "sha", "a".repeat(40), "ci_config", "build:\n  script: [make]\n"));
        assertThat(pipeline.status()).as(pipeline.toString()).isEqualTo(201);

        HttpApi.Response answer = held.get(2, TimeUnit.MINUTES);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        assertThat(answer.json().get("job_info").get("name").asText()).isEqualTo("build");
    }

    @Test
    void stoppingTheServerAnswersHeldRequestsWithTheirQueueValue() throws Exception {
        start();
        ScriptedRunner runner = ScriptedRunner.create(api, ADMIN, "poller");
        String lastUpdate = lastUpdateOf(runner.poll());
        CompletableFuture<HttpApi.Response> held = CompletableFuture.supplyAsync(() -> runner.poll(lastUpdate));
        awaitHeld();

        server.close();
        server = null;

        HttpApi.Response answer = held.get(2, TimeUnit.MINUTES);
        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.header("X-GitLab-Last-Update")).isEqualTo(lastUpdate);
    }

    private void start() {
        // A polling duration far beyond the grace period: only an answer given at shutdown reaches the runner.
        server = Standalone.start(Configuration.from(Map.of(
                "JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString(),
                "JOBYARD_ADMIN_TOKEN", ADMIN, "JOBYARD_RUNNER_LONG_POLL", "10m", "JOBYARD_SHUTDOWN_GRACE", "1s")));
        api = new HttpApi(URI.create("http://127.0.0.1:" + server.port() + "/api/v4"));
    }

    private static String lastUpdateOf(HttpApi.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(204);
        return response.header("X-GitLab-Last-Update");
    }

    private void awaitHeld() {
        await("requests held").atMost(Duration.ofMinutes(1)).until(server.jobyard()::heldJobRequests, held -> held == 1);
    }
}
