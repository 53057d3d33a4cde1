package io.jobyard.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StandaloneServerTest {
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

    private Standalone start() {
        server = Standalone.start(Configuration.from(Map.of(
                "JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString())));
        return server;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersHealthReadinessAndGitLabsCatchAll() throws Exception {
        start();

        assertThat(get("/-/health").statusCode()).isEqualTo(200);
        HttpResponse<String> readiness = get("/-/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).isEqualTo("{\"status\":\"ok\"}");
        HttpResponse<String> unknown = get("/no/such/page");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"404 Not Found\"}");
        assertThat(unknown.headers().firstValue("Content-Type")).contains("application/json");
        HttpResponse<String> anonymous = get("/api/v4/projects/1/jobs");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("{\"message\":\"401 Unauthorized\"}");
    }

    @Test
    void theFirstStartCreatesAnAdministratorAndLaterStartsDoNot() {
        assertThat(start().firstAdministratorToken()).isPresent();
        server.close();

        assertThat(start().firstAdministratorToken()).isEmpty();
    }

    @Test
    void theDataSurvivesARestart() throws Exception {
        String token = start().firstAdministratorToken().orElseThrow();
        server.close();
        start();

        HttpResponse<String> jobs = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/v4/projects/999/jobs"))
                .header("PRIVATE-TOKEN", token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(jobs.statusCode()).isEqualTo(404);
        assertThat(jobs.body()).isEqualTo("{\"message\":\"404 Project Not Found\"}");
    }

    @Test
    void uploadsInterruptedByAKillAreCleanedUpAtTheNextStart() throws Exception {
        start();
        server.close();
        // What kill -9 in the middle of two uploads leaves: a staged artifact and a spooled multipart part, seconds old.
        Path staged = Files.writeString(dataDir.resolve("artifacts/staging/" + java.util.UUID.randomUUID() + ".part"),
                "half an archive");
        Path spooled = Files.writeString(dataDir.resolve("tmp/jobyard-part-1234567.upload"), "half a multipart part");
        Path spooledByAnOlderVersion = Files.writeString(dataDir.resolve("tmp/undertow1234567upload"), "half a part");

        start();

        assertThat(staged).doesNotExist();
        assertThat(spooled).doesNotExist();
        assertThat(spooledByAnOlderVersion).doesNotExist();
    }

    @Test
    void artifactBlobsACrashLeftWithoutARecordAreCollectedAtTheNextStart() throws Exception {
        start();
        server.close();
        // What kill -9 between storing an upload and recording it leaves: a published blob no record names.
        Path jobDirectory = Files.createDirectories(dataDir.resolve("artifacts/blobs/projects/1/jobs/7"));
        Path litter = Files.writeString(jobDirectory.resolve("3-archive-" + java.util.UUID.randomUUID()), "an archive");

        start();
        // Stored by this process (its upload may be recording it right now): never touched by the start's collection.
        Path fresh = Files.writeString(jobDirectory.resolve("4-archive-" + java.util.UUID.randomUUID()), "uploading");

        assertThat(server.orphanCollectionAtStart()).hasValueSatisfying(collection ->
                assertThat(collection).succeedsWithin(Duration.ofSeconds(60)).isEqualTo(1L));
        assertThat(litter).doesNotExist();
        assertThat(fresh).exists();
    }
}
