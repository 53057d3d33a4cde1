package io.jobyard.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /-/metrics} can be restricted: by a token ({@code JOBYARD_METRICS_TOKEN}, as a bearer token or
 * {@code ?token=}), or by a listener of its own ({@code JOBYARD_METRICS_PORT} on {@code JOBYARD_METRICS_BIND}), off the
 * API's. Without either it stays open on the API's listener, as before.
 */
class MetricsAccessTest {
    private static final String TOKEN = "metrics-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();
    private Standalone server;

    @TempDir
    Path dataDir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Standalone start(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1",
                "JOBYARD_DATA_DIR", dataDir.toString()));
        settings.putAll(more);
        return Standalone.start(Configuration.from(settings));
    }

    private HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutSettingsTheMetricsAreOpenAsBefore() throws Exception {
        server = start(Map.of());
        assertThat(get(server.port(), "/-/metrics", null).statusCode()).isEqualTo(200);
        assertThat(server.metricsPort()).isEmpty();
    }

    @Test
    void aTokenIsRequiredOfEveryScrapeWhenOneIsSet() throws Exception {
        server = start(Map.of("JOBYARD_METRICS_TOKEN", TOKEN));

        HttpResponse<String> anonymous = get(server.port(), "/-/metrics", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("{\"message\":\"401 Unauthorized\"}").doesNotContain("jvm_");
        assertThat(get(server.port(), "/-/metrics", "Bearer wrong-token-0123456789").statusCode()).isEqualTo(401);
        assertThat(get(server.port(), "/-/metrics?token=wrong", null).statusCode()).isEqualTo(401);

        HttpResponse<String> bearer = get(server.port(), "/-/metrics", "Bearer " + TOKEN);
        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(bearer.body()).contains("jobyard_jobs_pending");
        assertThat(get(server.port(), "/-/metrics?token=" + TOKEN, null).statusCode()).isEqualTo(200);
        assertThat(get(server.port(), "/-/health", null).statusCode()).as("health stays open").isEqualTo(200);
    }

    @Test
    void aListenerOfTheirOwnTakesTheMetricsOffTheApisListener() throws Exception {
        server = start(Map.of("JOBYARD_METRICS_PORT", "0"));
        int metricsPort = server.metricsPort().orElseThrow();

        assertThat(metricsPort).isNotEqualTo(server.port());
        assertThat(get(server.port(), "/-/metrics", null).statusCode()).isEqualTo(404);
        assertThat(get(metricsPort, "/-/metrics", null).statusCode()).isEqualTo(200);
        assertThat(get(metricsPort, "/api/v4/projects", null).statusCode()).as("nothing else there").isEqualTo(404);
        assertThat(get(server.port(), "/-/health", null).statusCode()).isEqualTo(200);
    }
}
