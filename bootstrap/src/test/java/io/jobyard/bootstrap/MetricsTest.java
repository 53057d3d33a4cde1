package io.jobyard.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /-/metrics} of the standalone server: the series exist and move with requests and job transitions. */
class MetricsTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private Standalone server;
    private String token;

    @TempDir
    Path dataDir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void requestsByRouteTemplateTransitionsPendingJobsAndBytesAreScraped() throws Exception {
        server = Standalone.start(Configuration.from(Map.of(
                "JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString())));
        token = server.firstAdministratorToken().orElseThrow();

        HttpResponse<String> scrape = get("/-/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue(MetricsScrapeHandler.CONTENT_TYPE);
        assertThat(value(scrape.body(), "jobyard_jobs_pending")).contains(0.0);

        assertThat(post("/api/v4/projects", "name=demo&namespace_path=acme").statusCode()).isEqualTo(201);
        assertThat(post("/api/v4/projects/1/pipeline", "ref=main&sha=" + "1".repeat(40) + "&ci_config="
                + URLEncoder.encode("build: {script: [make]}\ntest: {script: [make test]}", StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/v4/projects/1/jobs?private_token=" + token).statusCode()).isEqualTo(200);
        }
        assertThat(get("/api/v4/projects/acme%2Fdemo/jobs/99?private_token=" + token).statusCode()).isEqualTo(404);
        assertThat(get("/no/such/page").statusCode()).isEqualTo(404);

        String metrics = get("/-/metrics").body();
        String listJobs = "method=\"GET\",route=\"/api/v4/projects/:id/jobs\",status=\"200\"";
        assertThat(value(metrics, "http_server_requests_seconds_count", listJobs)).contains(3.0);
        assertThat(value(metrics, "http_server_requests_seconds_sum", listJobs)).hasValueSatisfying(
                seconds -> assertThat(seconds).isPositive());
        assertThat(value(metrics, "http_server_requests_seconds_count",
                "method=\"GET\",route=\"/api/v4/projects/:id/jobs/:job_id\",status=\"404\"")).contains(1.0);
        assertThat(value(metrics, "http_server_requests_seconds_count",
                "method=\"GET\",route=\"unmatched\",status=\"404\"")).contains(1.0);
        assertThat(metrics).doesNotContain("acme%2Fdemo").doesNotContain("/projects/1/").doesNotContain(token);
        assertThat(value(metrics, "jobyard_http_served_bytes_total", "route=\"/api/v4/projects/:id/jobs\""))
                .hasValueSatisfying(bytes -> assertThat(bytes).isGreaterThan(100));
        // pipeline creation: two jobs created, then both made pending
        assertThat(value(metrics, "jobyard_job_transitions_total", "status=\"created\"")).contains(2.0);
        assertThat(value(metrics, "jobyard_job_transitions_total", "status=\"pending\"")).contains(2.0);
        assertThat(value(metrics, "jobyard_jobs_pending")).contains(2.0);

        assertThat(get("/api/v4/projects/1/jobs?private_token=" + token).statusCode()).isEqualTo(200);
        assertThat(value(get("/-/metrics").body(), "http_server_requests_seconds_count", listJobs)).contains(4.0);
    }

    @Test
    void orphanedBlobsTheSweepDeletesAreCountedAndReferencedOnesStay() throws Exception {
        server = Standalone.start(Configuration.from(Map.of(
                "JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString())));
        assertThat(value(get("/-/metrics").body(), "jobyard_storage_orphans_deleted_total")).contains(0.0);
        Path blobs = dataDir.resolve("artifacts/blobs/projects/1/jobs/1");
        Files.createDirectories(blobs);
        Path orphan = Files.write(blobs.resolve("1-archive-crashed"), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        assertThat(server.jobyard().collectOrphanBlobs(Duration.ofHours(1))).isEqualTo(1);

        assertThat(orphan).doesNotExist();
        assertThat(value(get("/-/metrics").body(), "jobyard_storage_orphans_deleted_total")).contains(1.0);
    }

    /** The value of the series {@code name} whose labels include {@code labels}, if the scrape has it. */
    private static Optional<Double> value(String scrape, String name, String labels) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(scrape);
        while (line.find()) {
            if (line.group(1).contains(labels)) {
                return Optional.of(Double.parseDouble(line.group(2)));
            }
        }
        return Optional.empty();
    }

    private static Optional<Double> value(String scrape, String name) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$").matcher(scrape);
        return line.find() ? Optional.of(Double.parseDouble(line.group(1))) : Optional.empty();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("PRIVATE-TOKEN", token)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
