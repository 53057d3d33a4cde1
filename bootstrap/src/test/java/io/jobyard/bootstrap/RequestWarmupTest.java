package io.jobyard.bootstrap;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jobyard.bootstrap.logging.ConsoleLogging;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The warm-up before readiness ({@code JOBYARD_WARMUP}, {@link RequestWarmup}): it runs the request paths on a world of
 * its own and never on the server's data, readiness waits for it but never longer than its time, a failing warm-up
 * still lets the server turn ready, and 0 turns it off.
 */
class RequestWarmupTest {
    private static final String ADMIN_TOKEN = "glpat-warmup-test-000000000";
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newHttpClient();
    private Standalone server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Standalone start(Path dataDir, String warmup, java.util.function.Function<
            java.util.function.UnaryOperator<JobyardBuilder>, RequestWarmup> factory) {
        Map<String, String> env = new HashMap<>(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1",
                "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN, "JOBYARD_WARMUP", warmup));
        server = Standalone.start(Configuration.from(env), factory);
        return server;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("PRIVATE-TOKEN", ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void theWarmupRunsTheRequestPathsOnAThrowawayWorldAndNeverOnTheServersData() throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        start(dir.resolve("data"), "60s", settings -> new RequestWarmup(settings, 3, scratch));

        long requests = server.warmup().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        // A project, a runner, a pipeline whose jobs the runner ran (log, artifact, endings), then three rounds of reads.
        assertThat(requests).isGreaterThan(3 * 14 + 10);
        await().atMost(PATIENCE).until(() -> get("/-/readiness").statusCode() == 200);
        // The throwaway world is gone, and nothing of it reached the server's database or storage.
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).isEmpty();
        }
        assertThat(get("/api/v4/projects").body()).isEqualTo("[]");
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/v4/runners/1")).header("PRIVATE-TOKEN", ADMIN_TOKEN).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("no runner exists").isEqualTo(404);
        assertThat(get("/api/v4/users").body()).contains("\"username\":\"root\"").doesNotContain("},{");
        List<String> warmedFiles = files(dir.resolve("data"));
        server.close();

        // The same start without the warm-up leaves the same files in its data directory.
        start(dir.resolve("cold"), "0", RequestWarmup::new);
        assertThat(warmedFiles).isEqualTo(files(dir.resolve("cold")));
    }

    /**
     * The warm-up's requests take the paths real traffic takes: its throwaway server formats an access line for each
     * (as the server does on every request) and drops it — none reaches the server's access log, nor the console —
     * and it reads as members of the project with their own tokens (one limited to {@code read_api}), not only as the
     * administrator.
     */
    @Test
    void theWarmupFormatsAccessLinesNobodySeesAndReadsAsMembers() throws Exception {
        ListAppender<ILoggingEvent> warmupLines = new ListAppender<>();
        ListAppender<ILoggingEvent> serverLines = new ListAppender<>();
        Logger warmupLog = (Logger) ConsoleLogging.discarding("io.jobyard.access.warmup");
        Logger serverLog = (Logger) LoggerFactory.getLogger("io.jobyard.access");
        warmupLines.start();
        serverLines.start();
        warmupLog.addAppender(warmupLines);
        serverLog.addAppender(serverLines);
        try {
            start(dir.resolve("data"), "60s", settings -> new RequestWarmup(settings, 3, null));
            server.warmup().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            warmupLog.detachAppender(warmupLines);
            serverLog.detachAppender(serverLines);
        }

        List<String> lines = warmupLines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).filteredOn(line -> line.startsWith("POST /api/v4/projects/:id/members 201 ")).hasSize(2);
        assertThat(lines).filteredOn(line -> line.startsWith("POST /api/v4/users/:user_id/personal_access_tokens 201 "))
                .hasSize(2);
        assertThat(lines).filteredOn(line -> line.startsWith("GET /api/v4/projects/:id/jobs/:job_id 200 "))
                .hasSizeGreaterThanOrEqualTo(3 * 4);
        // Three rounds of the main client's reads, and at least one of the member reading alongside.
        assertThat(lines).filteredOn(line -> line.startsWith("GET /api/v4/user 200 ")).hasSizeGreaterThan(3);
        assertThat(serverLines.list).as("the server's own access log").isEmpty();
    }

    /**
     * The warm-up ends once the JIT compilers have been quiet for a window, long before its time; while they are busy
     * it runs on (here: rounds are its only other bound).
     */
    @Test
    void theWarmupEndsWhenTheCompilersAreQuiet() throws Exception {
        AtomicLong compiledMillis = new AtomicLong();
        start(dir.resolve("data"), "600s", settings -> new RequestWarmup(settings, Integer.MAX_VALUE, null,
                new CompilerQuiet(compiledMillis::get, Duration.ofMillis(300), 0.05)));
        long requests = server.warmup().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(requests).as("requests before the compilers counted as quiet").isGreaterThan(14);
        assertThat(get("/-/readiness").statusCode()).isEqualTo(200);
        server.close();

        // Compilers busy all the time: only its rounds end it.
        long started = System.nanoTime();
        start(dir.resolve("busy"), "600s", settings -> new RequestWarmup(settings, 40, null,
                new CompilerQuiet(() -> (System.nanoTime() - started) / 1_000_000, Duration.ofMillis(100), 0.05)));
        assertThat(server.warmup().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("40 rounds of reads")
                .isGreaterThan(40 * 14);
    }

    @Test
    void readinessWaitsForTheWarmupButNoLongerThanItsTime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(dir.resolve("data"), "60s", settings -> new RequestWarmup(settings) {
            @Override
            void run(long deadline, long[] requests) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertThat(get("/-/readiness").statusCode()).isEqualTo(503);
        // The API already answers while the warm-up runs; only the readiness probe keeps traffic away.
        assertThat(get("/api/v4/projects").statusCode()).isEqualTo(200);
        release.countDown();
        await().atMost(PATIENCE).until(() -> get("/-/readiness").statusCode() == 200);
        server.close();

        // A warm-up that overruns its time (here: never ends) does not hold readiness back past it.
        CountDownLatch never = new CountDownLatch(1);
        start(dir.resolve("data"), "1s", settings -> new RequestWarmup(settings) {
            @Override
            void run(long deadline, long[] requests) throws IOException {
                try {
                    never.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        await().atMost(PATIENCE).until(() -> get("/-/readiness").statusCode() == 200);
        assertThat(server.warmup()).isNotDone();
        never.countDown();
    }

    @Test
    void aFailingWarmupEndsAndTheServerTurnsReadyAnyway() throws Exception {
        start(dir.resolve("data"), "60s", settings -> new RequestWarmup(settings) {
            @Override
            void run(long deadline, long[] requests) {
                requests[0] = 2;
                throw new IllegalStateException("the throwaway world broke");
            }
        });

        assertThat(server.warmup().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
        await().atMost(PATIENCE).until(() -> get("/-/readiness").statusCode() == 200);
        assertThat(get("/api/v4/user").statusCode()).isEqualTo(200);
    }

    @Test
    void zeroTurnsTheWarmupOff() throws Exception {
        start(dir.resolve("data"), "0", settings -> {
            throw new AssertionError("no warm-up is made with JOBYARD_WARMUP=0");
        });

        assertThat(server.warmup()).isCompletedWithValue(0L);
        assertThat(get("/-/readiness").statusCode()).isEqualTo(200);
    }
}
