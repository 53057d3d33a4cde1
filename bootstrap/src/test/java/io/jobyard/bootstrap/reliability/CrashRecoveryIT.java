package io.jobyard.bootstrap.reliability;

import io.jobyard.bootstrap.e2e.ServerProcesses;
import org.awaitility.core.ConditionTimeoutException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, crash: the built jar on H2 file mode is killed with SIGKILL at a random moment while runners append logs at
 * exact offsets, upload artifacts and finish jobs and a user cancels and retries them; then it is started again on the
 * same data directory. After every restart: the database opens, every acknowledged append and upload is there intact,
 * no unacknowledged one is half there, the temporary files of interrupted uploads are gone, the stored artifact blobs
 * are exactly those the artifact records name (no orphan, nothing dangling), and the Jobs API answers.
 *
 * <p>What "acknowledged" promises. A 2xx means the server made the change durable before answering, so it must survive.
 * A request the kill cut off may or may not have happened — the crash may come after the commit and before the answer
 * — but only whole: a log is the acknowledged appends, possibly followed by the one append that was in flight, never
 * by part of it (the runner resends at the old offset, gets 416 with the new length and carries on, so nothing is
 * doubled); an archive is either absent or complete with the SHA-256 that was sent.
 *
 * <p>Reduced to 3 rounds in {@code mvn verify}; {@code -Dreliability.full=true} runs 20.
 */
class CrashRecoveryIT {
    private static final String ADMIN_TOKEN = "crash-test-admin-token-0123456789";
    /** Four jobs that start at once, so several runners have work. */
    private static final String CI_CONFIG = "a: {script: [x]}\nb: {script: [x]}\nc: {script: [x]}\nd: {script: [x]}\n";
    private static final List<String> COMPLETE = List.of("success", "failed", "canceled");

    @TempDir
    Path dir;

    private Process server;
    private final HttpClient probe = HttpClient.newHttpClient();
    private final Map<Long, JobLedger> ledger = new ConcurrentHashMap<>();
    private final List<Long> jobIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger pipelines = new AtomicInteger();
    private final List<Throwable> clientFailures = new CopyOnWriteArrayList<>();

    @AfterEach
    void kill() {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
    }

    /** What the clients were told about one job, and what they had sent without an answer when the server died. */
    static final class JobLedger {
        final List<byte[]> ackedAppends = new ArrayList<>();
        long ackedLength;
        byte[] inFlightAppend;
        /** The append answered 403 because the job ended while it was stored: it may be in the log, last and whole. */
        byte[] refusedAppend;
        String ackedArchiveSha;
        String inFlightArchiveSha;
        String ackedCompleteStatus;
        boolean ackedStarted;
        final List<Long> ackedRetries = new ArrayList<>();
    }

    @Test
    void acknowledgedWorkSurvivesKillMinusNine() throws Exception {
        int rounds = ReliabilitySize.of("crash.rounds", 3, 20);
        long seed = ReliabilitySize.seed("crash");
        Random random = new Random(seed);
        System.out.printf("crash test: %d rounds, seed %d%n", rounds, seed);
        Path data = dir.resolve("data");
        int port = freePort();
        Api api = new Api("http://127.0.0.1:" + port, ADMIN_TOKEN);
        start(data, port, 0);
        long project = api.createProject("acme", "crash");
        String runnerToken = api.createRunner();

        int appends = 0;
        int uploads = 0;
        int transitions = 0;
        int leftStaged = 0;
        int leftSpooled = 0;
        long started = System.nanoTime();
        for (int round = 1; round <= rounds; round++) {
            AtomicBoolean dead = new AtomicBoolean();
            Counters counters = new Counters();
            List<Thread> clients = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                long clientSeed = random.nextLong();
                clients.add(client(() -> runner(api, project, runnerToken, new Random(clientSeed), dead, counters)));
            }
            long userSeed = random.nextLong();
            clients.add(client(() -> user(api, project, new Random(userSeed), dead, counters)));

            // The kill comes at a random moment once work is under way (a cold server on a busy machine may need a
            // while for its first answers).
            long roundStart = System.nanoTime();
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> counters.appends.get() > 0 && counters.uploads.get() > 0
                                || !clientFailures.isEmpty());
            } catch (ConditionTimeoutException stillCold) {
                // the kill comes anyway: a round without an append or upload tests the rest
            }
            Thread.sleep(random.nextInt(ReliabilitySize.full() ? 6000 : 3000));
            long lifetime = Duration.ofNanos(System.nanoTime() - roundStart).toMillis();
            dead.set(true); // first, so a client's failure from now on is the kill's doing
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no graceful anything
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (Thread client : clients) {
                client.join(60_000);
            }
            assertThat(clientFailures).as("what the clients saw before the kill").isEmpty();
            int staged = count(data.resolve("artifacts/staging"), "*.part");
            int spooled = count(data.resolve("tmp"), "jobyard-part-*.upload");
            leftStaged += staged;
            leftSpooled += spooled;
            Path litter = plantOrphanedBlob(data, project);

            start(data, port, round);
            verify(api, project, round);
            awaitStorageEqualToRecords(api, project, data, litter, round);
            assertThat(count(data.resolve("artifacts/staging"), "*.part")).as("staging files after restart").isZero();
            assertThat(count(data.resolve("tmp"), "jobyard-part-*.upload")).as("spooled parts after restart").isZero();
            appends += counters.appends.get();
            uploads += counters.uploads.get();
            transitions += counters.transitions.get();
            System.out.printf("round %d: killed after %d ms; acknowledged %d appends, %d uploads, %d transitions; "
                            + "left %d staged and %d spooled files, none after the restart; %d jobs checked%n",
                    round, lifetime, counters.appends.get(), counters.uploads.get(), counters.transitions.get(),
                    staged, spooled, ledger.size());
        }
        System.out.printf("crash test: %d rounds in %d s, %d acknowledged appends, %d uploads, %d transitions, "
                        + "%d staged + %d spooled files of interrupted uploads removed at restart%n", rounds,
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), appends, uploads, transitions, leftStaged,
                leftSpooled);
        assertThat(appends).as("the clients got work done").isPositive();
    }

    private Thread client(Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (RuntimeException | AssertionError e) {
                clientFailures.add(e);
            }
        });
        thread.start();
        return thread;
    }

    static final class Counters {
        final AtomicInteger appends = new AtomicInteger();
        final AtomicInteger uploads = new AtomicInteger();
        final AtomicInteger transitions = new AtomicInteger();
    }

    /** A runner: takes a job, streams its log in pieces, uploads an archive, finishes it; until the server dies. */
    private void runner(Api api, long project, String runnerToken, Random random, AtomicBoolean dead,
                        Counters counters) {
        try {
            while (!dead.get()) {
                Api.Reply taken = api.requestJob(runnerToken);
                if (taken.status() == 204) {
                    jobIds.addAll(api.createPipeline(project, CI_CONFIG, pipelines.incrementAndGet()));
                    continue;
                }
                assertThat(taken.status()).as("job request").isEqualTo(201);
                JsonNode payload = taken.json();
                long id = payload.get("id").asLong();
                String token = payload.get("token").asText();
                JobLedger job = ledger.computeIfAbsent(id, any -> new JobLedger());
                synchronized (job) {
                    job.ackedStarted = true;
                }
                int pieces = 1 + random.nextInt(8);
                for (int i = 0; i < pieces; i++) {
                    byte[] bytes = Api.logBytes(random, 1 + random.nextInt(random.nextBoolean() ? 300 : 200_000));
                    long offset;
                    synchronized (job) {
                        offset = job.ackedLength;
                        job.inFlightAppend = bytes;
                    }
                    Api.Reply appended = api.appendTrace(id, token, offset, bytes);
                    synchronized (job) {
                        job.inFlightAppend = null;
                        if (appended.status() == 202) {
                            assertThat(appended.header("Range")).isEqualTo("0-" + (offset + bytes.length));
                            job.ackedAppends.add(bytes);
                            job.ackedLength += bytes.length;
                            counters.appends.incrementAndGet();
                        }
                    }
                    if (appended.status() != 202) {
                        // canceled meanwhile; never 416: this runner is the only writer of this log
                        assertThat(appended.status()).as("append " + appended).isEqualTo(403);
                        synchronized (job) {
                            job.refusedAppend = bytes;
                        }
                        break;
                    }
                }
                if (random.nextInt(3) > 0) {
                    byte[] zip = Api.zip(random, 1024 + random.nextInt(2 << 20));
                    String sha = Api.sha256(zip);
                    synchronized (job) {
                        job.inFlightArchiveSha = sha;
                    }
                    Api.Reply uploaded = api.uploadArchive(id, token, zip);
                    synchronized (job) {
                        job.inFlightArchiveSha = null;
                        if (uploaded.status() == 201) {
                            job.ackedArchiveSha = sha;
                            counters.uploads.incrementAndGet();
                        } else {
                            // the job was canceled before the upload: no artifact may appear
                            assertThat(uploaded.status()).as("upload " + uploaded).isEqualTo(403);
                        }
                    }
                }
                String state = random.nextInt(4) == 0 ? "failed" : "success";
                Api.Reply finished = api.updateJob(id, token, state);
                if (finished.status() == 200) {
                    acknowledgeStatus(id, finished.header("Job-Status"));
                    counters.transitions.incrementAndGet();
                } else {
                    assertThat(finished.status()).as("PUT " + finished).isEqualTo(403);
                }
            }
        } catch (IOException | InterruptedException serverGone) {
            // the kill: whatever was in flight stays recorded as in flight
            failUnlessKilled(dead, serverGone);
        }
    }

    /** A user cancelling and retrying jobs while the runners work. */
    private void user(Api api, long project, Random random, AtomicBoolean dead, Counters counters) {
        try {
            while (!dead.get()) {
                Thread.sleep(random.nextInt(60));
                if (jobIds.isEmpty()) {
                    continue;
                }
                long id = jobIds.get(random.nextInt(jobIds.size()));
                String path = "/projects/" + project + "/jobs/" + id;
                if (random.nextBoolean()) {
                    Api.Reply canceled = api.admin("POST", path + "/cancel", null);
                    assertThat(canceled.status()).as("cancel " + canceled).isEqualTo(201);
                    acknowledgeStatus(id, canceled.json().get("status").asText());
                    counters.transitions.incrementAndGet();
                } else {
                    Api.Reply retried = api.admin("POST", path + "/retry", null);
                    if (retried.status() == 201) {
                        long successor = retried.json().get("id").asLong();
                        jobIds.add(successor);
                        JobLedger job = ledger.computeIfAbsent(id, any -> new JobLedger());
                        synchronized (job) {
                            job.ackedRetries.add(successor);
                        }
                        counters.transitions.incrementAndGet();
                    } else {
                        assertThat(retried.status()).as("retry " + retried).isEqualTo(403); // not finished yet
                    }
                }
            }
        } catch (IOException | InterruptedException serverGone) {
            failUnlessKilled(dead, serverGone);
        }
    }

    private void failUnlessKilled(AtomicBoolean dead, Exception e) {
        if (!dead.get()) {
            clientFailures.add(new AssertionError("failed while the server was up", e));
        }
    }

    private void acknowledgeStatus(long id, String status) {
        JobLedger job = ledger.computeIfAbsent(id, any -> new JobLedger());
        synchronized (job) {
            if (COMPLETE.contains(status)) {
                // A finished job never changes status again, so every acknowledged ending must agree.
                assertThat(job.ackedCompleteStatus).as("job " + id + " acknowledged endings").isIn(null, status);
                job.ackedCompleteStatus = status;
            }
        }
    }

    private void verify(Api api, long project, int round) throws IOException, InterruptedException {
        Api.Reply list = api.admin("GET", "/projects/" + project + "/jobs?per_page=100", null);
        assertThat(list.status()).as("Jobs API after restart " + round).isEqualTo(200);
        assertThat(list.header("Content-Type")).isEqualTo("application/json");
        for (Map.Entry<Long, JobLedger> entry : ledger.entrySet()) {
            long id = entry.getKey();
            JobLedger job = entry.getValue();
            String path = "/projects/" + project + "/jobs/" + id;
            JsonNode view = api.adminExpect("GET", path, null, 200);
            String status = view.get("status").asText();
            String what = "round " + round + ", job " + id;
            if (job.ackedCompleteStatus != null) {
                assertThat(status).as(what + ": acknowledged ending").isEqualTo(job.ackedCompleteStatus);
            } else if (job.ackedStarted) {
                assertThat(status).as(what + ": acknowledged start").isNotIn("created", "pending");
            }
            for (long successor : job.ackedRetries) {
                assertThat(api.admin("GET", "/projects/" + project + "/jobs/" + successor, null).status())
                        .as(what + ": acknowledged retry " + successor).isEqualTo(200);
            }

            Api.Reply log = api.admin("GET", path + "/trace", null);
            assertThat(log.status()).as(what + ": log").isEqualTo(200);
            byte[] trace = log.body();
            byte[] acked = concat(job.ackedAppends);
            assertThat(trace.length).as(what + ": log length against the acknowledged appends")
                    .isGreaterThanOrEqualTo(acked.length);
            assertThat(java.util.Arrays.copyOf(trace, acked.length)).as(what + ": acknowledged log bytes")
                    .isEqualTo(acked);
            if (trace.length > acked.length) {
                byte[] tail = java.util.Arrays.copyOfRange(trace, acked.length, trace.length);
                boolean inFlight = job.inFlightAppend != null && java.util.Arrays.equals(tail, job.inFlightAppend);
                boolean refused = job.refusedAppend != null && java.util.Arrays.equals(tail, job.refusedAppend);
                assertThat(inFlight || refused).as(what + ": the " + tail.length + " bytes past the acknowledged "
                        + "ones are neither the whole append in flight at the kill nor the whole refused one").isTrue();
                // it made it: from now on it counts (a runner's resend gets 416 with the new length and moves on)
                job.ackedAppends.add(tail);
                job.ackedLength += tail.length;
            }
            job.inFlightAppend = null;
            job.refusedAppend = null;

            Api.Reply archive = api.admin("GET", path + "/artifacts", null);
            boolean listed = view.has("artifacts_file");
            if (job.ackedArchiveSha != null) {
                assertThat(archive.status()).as(what + ": acknowledged archive").isEqualTo(200);
                assertThat(Api.sha256(archive.body())).as(what + ": archive bytes").isEqualTo(job.ackedArchiveSha);
                assertThat(listed).as(what + ": artifacts_file").isTrue();
            } else if (archive.status() == 200) {
                assertThat(job.inFlightArchiveSha).as(what + ": an archive nobody sent").isNotNull();
                assertThat(Api.sha256(archive.body())).as(what + ": unacknowledged archive, whole")
                        .isEqualTo(job.inFlightArchiveSha);
                assertThat(listed).as(what + ": artifacts_file").isTrue();
                job.ackedArchiveSha = job.inFlightArchiveSha;
            } else {
                assertThat(archive.status()).as(what + ": no archive").isEqualTo(404);
                assertThat(listed).as(what + ": artifacts_file without an archive").isFalse();
            }
            job.inFlightArchiveSha = null;
        }
    }

    /**
     * The litter a kill between storing an upload and recording it leaves: a published blob that no record names. The
     * kill may or may not have made one in this round; this makes sure the collection has something to collect.
     */
    private static Path plantOrphanedBlob(Path data, long project) throws IOException {
        Path jobDirectory = Files.createDirectories(data.resolve("artifacts/blobs/projects/" + project + "/jobs/0"));
        return Files.writeString(jobDirectory.resolve("1-archive-" + UUID.randomUUID()), "orphan");
    }

    /**
     * The restarted server collects orphaned blobs in the background as it starts; once it has, the blob files are
     * exactly as many as the artifact records the Jobs API lists (every job, retried ones too), and the planted
     * orphan is gone. A record whose blob is missing would show as one file too few.
     */
    private static void awaitStorageEqualToRecords(Api api, long project, Path data, Path litter, int round)
            throws IOException, InterruptedException {
        Path blobs = data.resolve("artifacts/blobs");
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !Files.exists(litter) && countFiles(blobs) == countArtifactRecords(api, project));
        } catch (ConditionTimeoutException stillDiffering) {
            // the assertions below say how
        }
        long files = countFiles(blobs);
        long records = countArtifactRecords(api, project);
        assertThat(litter).as("round " + round + ": the planted orphan after the restart").doesNotExist();
        assertThat(files).as("round " + round + ": artifact blobs against artifact records").isEqualTo(records);
    }

    private static long countFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    private static long countArtifactRecords(Api api, long project) throws IOException, InterruptedException {
        long records = 0;
        String page = "1";
        while (page != null && !page.isEmpty()) {
            Api.Reply reply = api.admin("GET", "/projects/" + project + "/jobs?per_page=100&page=" + page, null);
            assertThat(reply.status()).as("listing jobs").isEqualTo(200);
            for (JsonNode job : reply.json()) {
                records += job.path("artifacts").size();
            }
            page = reply.header("X-Next-Page");
        }
        return records;
    }

    private static byte[] concat(List<byte[]> parts) {
        int length = parts.stream().mapToInt(part -> part.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private void start(Path data, int port, int round) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", Path.of("target", "jobyard.jar").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server-" + round + ".log").toFile());
        builder.environment().put("JOBYARD_PORT", Integer.toString(port));
        builder.environment().put("JOBYARD_BIND", "127.0.0.1");
        builder.environment().put("JOBYARD_EXTERNAL_URL", "http://127.0.0.1:" + port);
        builder.environment().put("JOBYARD_DATA_DIR", data.toString());
        builder.environment().put("JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN);
        server = builder.start();
        ServerProcesses.awaitReady(server, probe, URI.create("http://127.0.0.1:" + port + "/-/readiness"),
                Duration.ofSeconds(90), () -> "after round " + round + ":\n"
                        + Files.readString(dir.resolve("server-" + round + ".log")));
    }

    private static int count(Path directory, String glob) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int n = 0;
        try (var files = Files.newDirectoryStream(directory, glob)) {
            for (Path ignored : files) {
                n++;
            }
        }
        return n;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
