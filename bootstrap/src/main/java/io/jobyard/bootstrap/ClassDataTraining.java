package io.jobyard.bootstrap;

import io.jobyard.bootstrap.logging.ConsoleLogging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The training run behind the class-data archive the build ships next to the jar ({@code jobyard.jsa}): the build
 * runs this class with {@code -XX:ArchiveClassesAtExit}, and every class it makes the JVM load — the start on an empty
 * data directory, Flyway's migrations, and one job's whole life through the real HTTP API and runner protocol — is
 * stored already parsed and verified. A server started with {@code -XX:SharedArchiveFile=…/jobyard.jsa} maps those
 * classes instead of loading them: about 40 % less CPU until the first request is answered. A JVM that cannot use the
 * archive (missing, another JDK, a rebuilt jar) starts as without it.
 *
 * <p>Each step checks its answer, so a training run that went wrong fails the build instead of archiving an error
 * path. It runs on a throwaway data directory and a free loopback port, and leaves nothing behind.
 */
public final class ClassDataTraining {
    private static final String ADMIN_TOKEN = "glpat-class-data-training-0000";
    private static final Pattern RUNNER_TOKEN = Pattern.compile("\"token\":\"(glrt-[^\"]+)\"");
    private static final Pattern JOB_ID = Pattern.compile("^\\{\"id\":(\\d+)");
    private static final Pattern JOB_TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newHttpClient();
    private final String api;

    private ClassDataTraining(int port) {
        this.api = "http://127.0.0.1:" + port + "/api/v4";
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Files.createTempDirectory("jobyard-class-data-training");
        int status = 0;
        Configuration configuration = Configuration.from(Map.of(
                "JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString(),
                "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN, "JOBYARD_LOG_LEVEL", "WARN", "JOBYARD_WARMUP", "600s"));
        ConsoleLogging.setRootLevel(configuration.logLevel());
        // The warm-up runs two rounds, however long they take on a busy machine (the 600 s only bound it).
        try (Standalone server = Standalone.start(configuration, settings -> new RequestWarmup(settings, 2, null))) {
            new ClassDataTraining(server.port()).liveOneJob();
            // The warm-up's classes (its throwaway database's migrations among them) belong in the archive too.
            if (server.warmup().get() < 2 * 14) {
                throw new IllegalStateException("the warm-up ended early (see its warning above)");
            }
        } catch (Exception | AssertionError e) {
            System.err.println("jobyard: class-data training failed: " + e);
            status = 1;
        } finally {
            deleteRecursively(dataDir);
        }
        // Exit explicitly: the JVM writes the archive on its way out, and no lingering pool thread may delay that.
        System.exit(status);
    }

    /** A project, a runner, a pipeline; the runner runs the job with a log and an artifact; a client reads it all. */
    private void liveOneJob() throws IOException, InterruptedException {
        send("POST", "/projects", "name=training&namespace_path=jobyard&visibility=private", 201);
        String runnerToken = RequestWarmup.find(RUNNER_TOKEN,
                send("POST", "/user/runners", "runner_type=instance_type&run_untagged=true", 201));
        String ciConfig = "build: {stage: build, script: [make], artifacts: {paths: [out/]}}\n"
                + "test: {stage: test, script: [make test], needs: [build]}";
        send("POST", "/projects/jobyard%2Ftraining/pipeline", "ref=main&sha=" + "a".repeat(40)
                + "&ci_config=" + URLEncoder.encode(ciConfig, StandardCharsets.UTF_8), 201);
        String buildJob = runJob(runnerToken, true);
        runJob(runnerToken, false);

        String project = "/projects/jobyard%2Ftraining";
        send("GET", project + "/jobs/" + buildJob, null, 200);
        send("GET", project + "/jobs?scope[]=success&per_page=20", null, 200);
        send("GET", project + "/jobs?pagination=keyset&order_by=id&sort=desc", null, 200);
        send("GET", project + "/pipelines", null, 200);
        send("GET", project + "/jobs/" + buildJob + "/trace", null, 200);
        send("GET", project + "/jobs/" + buildJob + "/artifacts", null, 200);
        send("GET", project + "/jobs/" + buildJob + "/artifacts/out/report.txt", null, 200);
        send("GET", project + "/jobs/artifacts/main/raw/out/report.txt?job=build", null, 200);
        send("GET", project + "/jobs/404404", null, 404);
        send("GET", "/user", null, 200);
    }

    /** Takes the next job as the runner, appends its log, uploads an artifact if asked, and ends it as a success. */
    private String runJob(String runnerToken, boolean withArtifact) throws IOException, InterruptedException {
        String payload = send("POST", "/jobs/request", "token=" + runnerToken, 201);
        String jobId = RequestWarmup.find(JOB_ID, payload);
        String jobToken = RequestWarmup.find(JOB_TOKEN, payload);
        String log = "\u001b[32;1m$ make\u001b[0;m\nsection_start:1:build\rbuilding\nsection_end:1:build\r\n";
        expect(http.send(HttpRequest.newBuilder(URI.create(api + "/jobs/" + jobId + "/trace"))
                .header("JOB-TOKEN", jobToken).header("Content-Range", "0-" + (log.length() - 1))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(log)).build(),
                HttpResponse.BodyHandlers.ofString()), 202);
        if (withArtifact) {
            uploadArtifact(jobId, jobToken);
        }
        send("PUT", "/jobs/" + jobId, "token=" + jobToken + "&state=success", 200);
        return jobId;
    }

    private void uploadArtifact(String jobId, String jobToken) throws IOException, InterruptedException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("out/report.txt"));
            out.write("all good\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        String boundary = "jobyard-training";
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"artifacts.zip\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\n";
        expect(http.send(HttpRequest.newBuilder(URI.create(api + "/jobs/" + jobId + "/artifacts"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("JOB-TOKEN", jobToken)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofByteArray(zip.toByteArray()),
                        HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"))).build(),
                HttpResponse.BodyHandlers.ofString()), 201);
    }

    private String send(String method, String path, String form, int expectedStatus)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).header("PRIVATE-TOKEN", ADMIN_TOKEN);
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        return expect(http.send(request.method(method, form == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()),
                expectedStatus);
    }

    private static String expect(HttpResponse<String> response, int expectedStatus) {
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + " (expected " + expectedStatus + "): " + response.body());
        }
        return response.body();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
