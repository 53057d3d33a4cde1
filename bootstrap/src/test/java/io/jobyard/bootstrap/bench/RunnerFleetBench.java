package io.jobyard.bootstrap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * Issue 8, runner side: a fleet of simulated runners against two Jobyard servers that share one PostgreSQL (or, with
 * {@code database=h2}, against one server on the embedded default, H2 in a file with filesystem storage). Not a
 * test; it measures, and it checks what must hold whatever the speed.
 * <p>
 * It starts an embedded PostgreSQL (and, with {@code storage=s3}, an S3Proxy bucket in this JVM), then two standalone
 * servers as separate processes ({@code java -jar jobyard.jar}), one after the other so only one migrates. Through the
 * HTTP API it creates a project and one instance runner per simulated runner; a feeder (a thread per server) keeps
 * about three pending jobs per runner queued by creating pipelines of 20 parallel jobs. Each runner talks to one server
 * (runner {@code i} to server {@code i % 2}; with {@code balance=request} to each in turn, request by request, as
 * behind a load balancer) in gitlab-runner's loop: {@code POST /jobs/request}; on 201 the job's
 * log in {@code chunk}-sized {@code PATCH /jobs/:id/trace} requests, an artifacts archive of {@code artifactKiB}
 * ({@code POST /jobs/:id/artifacts}, multipart, as gitlab-runner uploads it; none with {@code artifactKiB=0}), then
 * {@code PUT /jobs/:id} with {@code state=success} and the log's CRC32 and size; on 204 a short pause.
 * <p>
 * Figures count events inside the measured window (after {@code warmup}): assignments/s, accepted log bytes/s, and
 * the latency of each kind of request. Checks, whose failure makes the exit status 1:
 * <ul>
 *   <li>no job is handed out twice (every 201 is recorded as it arrives, and a second one for a job is reported at
 *       once);</li>
 *   <li>afterwards, through the API: every job handed out is {@code success} and names the runner that took it,
 *       every other job is still {@code pending};</li>
 *   <li>every log has exactly the bytes its runner sent: with {@code storage=s3} (live logs in PostgreSQL) every
 *       log's length in the database, and for {@code verify} of them (or {@code all}) the log read through the
 *       other server, length and SHA-256;</li>
 *   <li>no 5xx, no unexpected status.</li>
 * </ul>
 * Arguments ({@code key=value}): {@code jar} (bootstrap/target/jobyard.jar), {@code work} (scratch directory),
 * {@code runners=50}, {@code duration=60} (measured seconds) or {@code jobs=N} (stop after N jobs instead),
 * {@code warmup=20} (seconds of load before the window, for the servers' JIT; 0 with {@code jobs}),
 * {@code logKiB=1024}, {@code chunkKiB=128}, {@code artifactKiB=1024} (issue 18's job lifecycle; 0 for issue 8's, which
 * uploaded none), {@code database=postgres|h2} (h2: one server, whose process holds the database; the bench reads it
 * through H2's mixed mode), {@code storage=s3|filesystem} (the default s3 with PostgreSQL, filesystem with H2;
 * filesystem with two servers: both share one data directory), {@code balance=runner|request}, {@code pool=10}
 * (database connections per server), {@code verify=200}, {@code jobSeconds=0} (how long each job executes on average —
 * each between half and one and a half times that —: its PATCHes are spread over that time, as a real job's output
 * arrives over its run; 0 sends them back to back, which saturates the machine and measures throughput rather than
 * latency), {@code pgStatements=0} (with N, PostgreSQL runs pg_stat_statements and the N statements that took it
 * longest from the window's start until the archive queue is empty are printed, per job), {@code javaOpts=-Xmx256m} (in
 * which {@code {server}} stands for the server's number, 0 or 1: e.g.
 * {@code -XX:StartFlightRecording=filename=/tmp/server-{server}.jfr} to profile both).
 */
public final class RunnerFleetBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int JOBS_PER_PIPELINE = 20;
    /** Pending jobs the feeder keeps queued per runner, so that runners rarely find the queue empty. */
    private static final int QUEUED_PER_RUNNER = 3;
    private static final Duration NO_JOB_PAUSE = Duration.ofMillis(100);
    private static final String S3_ACCESS_KEY = "jobyard-bench";
    private static final String S3_SECRET_KEY = "jobyard-bench-secret";
    private static final String INFO = "{\"name\":\"gitlab-runner\",\"version\":\"17.11.0\",\"revision\":\"0f67ff19\","
            + "\"platform\":\"linux\",\"architecture\":\"amd64\",\"executor\":\"shell\",\"shell\":\"bash\","
            + "\"features\":{\"variables\":true,\"artifacts\":true,\"trace_reset\":true,\"trace_checksum\":true,"
            + "\"trace_size\":true,\"cancelable\":true,\"return_exit_code\":true},\"config\":{\"gpus\":\"\"}}";

    private final Settings settings;
    private final String adminToken;
    /** Job id → the runner that received it: a second 201 for a job is a double assignment. */
    private final Map<Long, Integer> takenBy = new ConcurrentHashMap<>();
    /** What each runner sent for each job it ran. */
    private final Map<Long, SentLog> sent = new ConcurrentHashMap<>();
    private final List<String> doubleAssignments = new CopyOnWriteArrayList<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger serverErrors = new AtomicInteger();
    private final AtomicLong jobsCreated = new AtomicLong();
    private final AtomicLong jobsAssigned = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Long> pipelineMillis = new CopyOnWriteArrayList<>();

    record Settings(Path jar, Path work, int runners, int durationSeconds, int jobs, int warmupSeconds, int logKiB,
                    int chunkKiB, String storage, boolean balancePerRequest, int pool, String verify,
                    List<String> javaOpts, int artifactKiB, double jobSeconds, int pgStatements, boolean h2) {
        static Settings from(Map<String, String> a) {
            int jobs = Integer.parseInt(a.getOrDefault("jobs", "0"));
            String database = a.getOrDefault("database", "postgres");
            if (!database.equals("postgres") && !database.equals("h2")) {
                throw new IllegalArgumentException("database must be postgres or h2, was " + database);
            }
            boolean h2 = database.equals("h2");
            String storage = a.getOrDefault("storage", h2 ? "filesystem" : "s3");
            if (!storage.equals("s3") && !storage.equals("filesystem")) {
                throw new IllegalArgumentException("storage must be s3 or filesystem, was " + storage);
            }
            String balance = a.getOrDefault("balance", "runner");
            if (!balance.equals("runner") && !balance.equals("request")) {
                throw new IllegalArgumentException("balance must be runner or request, was " + balance);
            }
            return new Settings(Path.of(a.getOrDefault("jar", "bootstrap/target/jobyard.jar")).toAbsolutePath(),
                    Path.of(a.getOrDefault("work", "/tmp/jobyard-bench/runners")).toAbsolutePath(),
                    Integer.parseInt(a.getOrDefault("runners", "50")),
                    Integer.parseInt(a.getOrDefault("duration", "60")), jobs,
                    Integer.parseInt(a.getOrDefault("warmup", jobs > 0 ? "0" : "20")),
                    Integer.parseInt(a.getOrDefault("logKiB", "1024")),
                    Integer.parseInt(a.getOrDefault("chunkKiB", "128")), storage, balance.equals("request"),
                    Integer.parseInt(a.getOrDefault("pool", "10")), a.getOrDefault("verify", "200"),
                    List.of(a.getOrDefault("javaOpts", "-Xmx256m").trim().split("\\s+")),
                    Integer.parseInt(a.getOrDefault("artifactKiB", "1024")),
                    Double.parseDouble(a.getOrDefault("jobSeconds", "0")),
                    h2 ? 0 : Integer.parseInt(a.getOrDefault("pgStatements", "0")), h2);
        }

        /** H2 belongs to one process: with it, one server. */
        int servers() {
            return h2 ? 1 : 2;
        }
    }

    /** One request's outcome, stamped when its answer arrived. */
    record Event(Kind kind, long atNanos, long latencyNanos, long bytes) {
    }

    enum Kind { ASSIGNED, NO_JOB, PATCH, UPLOAD, FINISH }

    private static final String BOUNDARY = "runner-fleet-boundary-18";

    /** An artifacts archive of about {@code kib} KiB: one stored entry of incompressible bytes. */
    private static byte[] artifactsZip(Random random, int kib) {
        byte[] content = new byte[kib * 1024];
        random.nextBytes(content);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(content.length + 512);
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("build/output.bin");
            entry.setMethod(java.util.zip.ZipEntry.STORED);
            entry.setSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The log a runner sent for one job: how much the server acknowledged, its digest, and where it went. */
    record SentLog(int runner, int instance, long bytes, String sha256, boolean complete) {
    }

    private RunnerFleetBench(Settings settings, String adminToken) {
        this.settings = settings;
        this.adminToken = adminToken;
    }

    public static void main(String[] args) throws Exception {
        // Warnings only: the embedded PostgreSQL and S3Proxy would fill the report with their start-up lines.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Settings settings = Settings.from(BenchArgs.parse(args));
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        String adminToken = System.getenv().getOrDefault("JOBYARD_ADMIN_TOKEN",
                "bench-admin-" + HexFormat.of().formatHex(random));
        boolean passed = new RunnerFleetBench(settings, adminToken).run();
        System.exit(passed ? 0 : 1);
    }

    private boolean run() throws Exception {
        Files.createDirectories(settings.work());
        for (String leftover : List.of("postgres", "h2", "data-shared", "data-0", "data-1")) {
            deleteRecursively(settings.work().resolve(leftover));
        }
        try (FleetDatabase database = settings.h2() ? new H2Database(settings.work().resolve("h2"))
                : PostgresDatabase.start(settings.work().resolve("postgres"), settings.pgStatements() > 0);
             Bucket bucket = settings.storage().equals("s3") ? Bucket.start() : null;
             Servers servers = Servers.start(settings, adminToken, database, bucket)) {
            System.out.printf("setup: %s, %s; %d server(s) as separate processes (java %s -jar %s, %d database "
                            + "connections each) on ports %s%n",
                    database.describe(), bucket == null
                            ? "filesystem storage" + (settings.servers() > 1 ? ": both servers share one data "
                            + "directory" : "") + ", live logs in it"
                            : "S3Proxy bucket (in-memory) for artifacts, live logs in the database",
                    settings.servers(), String.join(" ", settings.javaOpts()), settings.jar().getFileName(),
                    settings.pool(), servers.ports());
            List<Client> clients = servers.ports().stream()
                    .map(port -> new Client(URI.create("http://127.0.0.1:" + port), adminToken)).toList();
            long project = clients.get(0).adminJson("POST", "/projects", "name=fleet&namespace_path=bench"
                    + "&visibility=private", 201).get("id").asLong();
            List<String> runnerTokens = new ArrayList<>();
            Map<Long, Integer> runnerIndexById = new HashMap<>();
            for (int i = 0; i < settings.runners(); i++) {
                JsonNode runner = clients.get(i % clients.size()).adminJson("POST", "/user/runners",
                        "runner_type=instance_type&run_untagged=true&description=fleet-" + i, 201);
                runnerTokens.add(runner.get("token").asText());
                runnerIndexById.put(runner.get("id").asLong(), i);
            }
            System.out.printf("load: %d runners (one instance runner each, %s), %d KiB log "
                            + "per job in %d KiB PATCHes, pipelines of %d parallel jobs created during the run, "
                            + "%s; %s; %d s warm-up not counted%n", settings.runners(), settings.balancePerRequest()
                            ? "each request to the other server than the last, as behind a load balancer"
                            : "runner i on server i % " + clients.size(), settings.logKiB(),
                    settings.chunkKiB(), JOBS_PER_PIPELINE, settings.jobs() > 0 ? settings.jobs() + " jobs"
                            : settings.durationSeconds() + " s measured", settings.jobSeconds() > 0
                            ? "each job's PATCHes spread over " + settings.jobSeconds() + " s (its execution)"
                            : "jobs back to back, no execution time (saturation)", settings.warmupSeconds());

            Feeder feeder = new Feeder(clients, project);
            feeder.fill();
            long started = System.nanoTime();
            long windowStart = started + Duration.ofSeconds(settings.warmupSeconds()).toNanos();
            long deadline = settings.jobs() > 0 ? Long.MAX_VALUE
                    : windowStart + Duration.ofSeconds(settings.durationSeconds()).toNanos();
            // CPU and load are read at the edges of the measured window, by threads of their own.
            ExecutorService clock = Executors.newFixedThreadPool(2);
            Future<Snapshot> atWindowStart = clock.submit(() -> {
                Snapshot snapshot = Snapshot.at(windowStart, servers, database);
                if (settings.pgStatements() > 0) {
                    resetStatementStatistics(database);
                }
                return snapshot;
            });
            Future<Snapshot> atDeadline = settings.jobs() > 0 ? null
                    : clock.submit(() -> Snapshot.at(deadline, servers, database));
            clock.shutdown();
            List<List<Event>> events = runFleet(clients, runnerTokens, feeder, deadline);
            long ended = System.nanoTime();
            long windowEnd = settings.jobs() > 0 ? ended : deadline;
            Snapshot first = atWindowStart.get();
            Snapshot last = atDeadline == null ? Snapshot.at(ended, servers, database) : atDeadline.get();
            feeder.stopAndJoin();

            report(events, windowStart, windowEnd, Duration.ofNanos(ended - started), first, last);
            if (awaitArchiveQueueDrained(database)) {
                // The archives of the window's jobs may be made after it: count them in, over every job that ran.
                Snapshot drained = Snapshot.at(System.nanoTime(), servers, database);
                long ran = events.stream().flatMap(List::stream)
                        .filter(e -> e.kind() == Kind.FINISH && e.atNanos() - windowStart >= 0).count();
                System.out.printf("CPU from the window's start until the queue was empty, ms per job finished since "
                        + "(%d; an upper bound: archives of warm-up jobs still queued at the start are in it): "
                        + "servers %s%s%n", ran,
                        Snapshot.msPerJob(drained.servers().minus(first.servers()), ran), settings.h2() ? ""
                                : ", PostgreSQL " + Snapshot.msPerJob(drained.database().minus(first.database()), ran));
                if (settings.pgStatements() > 0) {
                    printStatementStatistics(database, settings.pgStatements(), ran);
                }
            }
            List<String> failures = new ArrayList<>();
            verifyJobs(clients.get(0), project, runnerIndexById, failures);
            verifyLogs(clients, project, database, failures);
            int fiveHundreds = serverErrors.get();
            System.out.printf("%nchecks: %d jobs handed out, %d double assignments, %d 5xx, %d unexpected answers%n",
                    takenBy.size(), doubleAssignments.size(), fiveHundreds, unexpected.size());
            doubleAssignments.forEach(d -> System.out.println("DOUBLE ASSIGNMENT: " + d));
            unexpected.stream().limit(20).forEach(u -> System.out.println("UNEXPECTED: " + u));
            failures.stream().limit(50).forEach(f -> System.out.println("FAILED CHECK: " + f));
            boolean passed = doubleAssignments.isEmpty() && fiveHundreds == 0 && unexpected.isEmpty()
                    && failures.isEmpty();
            System.out.println(passed ? "result: every check passed" : "result: FAILED (see above; server logs in "
                    + settings.work() + ")");
            return passed;
        }
    }

    // ---- the fleet ----

    private List<List<Event>> runFleet(List<Client> clients, List<String> runnerTokens, Feeder feeder,
                                       long deadline) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(settings.runners());
        try {
            List<Future<List<Event>>> runners = new ArrayList<>();
            for (int i = 0; i < settings.runners(); i++) {
                int index = i;
                runners.add(pool.submit(() -> new SimulatedRunner(index, clients.stream().map(c -> c.base).toList(),
                        runnerTokens.get(index), feeder, deadline).loop()));
            }
            List<List<Event>> events = new ArrayList<>();
            for (Future<List<Event>> runner : runners) {
                events.add(runner.get());
            }
            return events;
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /** One runner: its own HTTP client (its own connections, as separate runner processes have), one server. */
    private final class SimulatedRunner {
        private final int index;
        private final List<URI> apis;
        /** The server of the next request: always the runner's own, or each in turn with {@code balance=request}. */
        private int instance;
        private final String requestBody;
        private final Feeder feeder;
        private final long deadline;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private final List<Event> events = new ArrayList<>();
        private final byte[] chunk;
        /** The artifacts archive uploaded for every job, or null for none. */
        private final byte[] artifacts;
        private final Random pacing;

        SimulatedRunner(int index, List<URI> bases, String token, Feeder feeder, long deadline) {
            this.index = index;
            this.instance = index % bases.size();
            this.apis = bases.stream().map(base -> base.resolve("/api/v4/")).toList();
            this.requestBody = "{\"token\":\"" + token + "\",\"system_id\":\"s_fleet" + index + "\",\"info\":"
                    + INFO + "}";
            this.feeder = feeder;
            this.deadline = deadline;
            this.chunk = logText(new Random(index), settings.chunkKiB() * 1024);
            this.pacing = new Random(2000 + index);
            this.artifacts = settings.artifactKiB() > 0 ? artifactsZip(new Random(1000 + index), settings.artifactKiB())
                    : null;
        }

        List<Event> loop() throws Exception {
            while (!done()) {
                long before = System.nanoTime();
                HttpResponse<byte[]> answer = send(HttpRequest.newBuilder(api().resolve("jobs/request"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(requestBody)), "request");
                long after = System.nanoTime();
                if (answer == null) {
                    continue;
                }
                if (answer.statusCode() == 201) {
                    JsonNode job = JSON.readTree(answer.body());
                    long id = job.get("id").asLong();
                    events.add(new Event(Kind.ASSIGNED, after, after - before, 0));
                    jobsAssigned.incrementAndGet();
                    Integer earlier = takenBy.putIfAbsent(id, index);
                    if (earlier != null) {
                        String what = "job " + id + " handed to runner " + earlier + " and again to runner " + index;
                        doubleAssignments.add(what);
                        System.out.println("DOUBLE ASSIGNMENT: " + what);
                    }
                    runJob(id, job.get("token").asText());
                } else if (answer.statusCode() == 204 || answer.statusCode() == 409) {
                    events.add(new Event(Kind.NO_JOB, after, after - before, 0));
                    Thread.sleep(NO_JOB_PAUSE.toMillis());
                } else {
                    unexpected("request", answer);
                }
            }
            return events;
        }

        private URI api() {
            URI api = apis.get(instance);
            if (settings.balancePerRequest()) {
                instance = (instance + 1) % apis.size();
            }
            return api;
        }

        private boolean done() {
            if (stop.get() || System.nanoTime() - deadline >= 0) {
                return true;
            }
            return settings.jobs() > 0 && jobsAssigned.get() >= settings.jobs() && feeder.finished();
        }

        private void runJob(long id, String jobToken) throws Exception {
            long total = settings.logKiB() * 1024L;
            MessageDigest sha = sha256();
            CRC32 crc = new CRC32();
            long offset = 0;
            boolean complete = true;
            // Each job lasts between half and one and a half times jobSeconds: runners that all started at once and
            // ran jobs of one length would stay in step and arrive in bursts of 50, which no real fleet does.
            long pauseMillis = Math.round(settings.jobSeconds() * (0.5 + pacing.nextDouble()) * 1000
                    / Math.max(1, (total + chunk.length - 1) / chunk.length));
            while (offset < total) {
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis); // the job executing: output arrives over its run, not at once
                }
                int length = (int) Math.min(chunk.length, total - offset);
                byte[] body = length == chunk.length ? chunk : Arrays.copyOf(chunk, length);
                stamp(body, id, offset);
                long before = System.nanoTime();
                HttpResponse<byte[]> answer = send(HttpRequest.newBuilder(api().resolve("jobs/" + id + "/trace"))
                        .header("JOB-TOKEN", jobToken)
                        .header("Content-Range", offset + "-" + (offset + length - 1))
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)), "patch");
                long after = System.nanoTime();
                String range = answer == null ? null : answer.headers().firstValue("Range").orElse(null);
                if (answer == null || answer.statusCode() != 202
                        || !("0-" + (offset + length)).equals(range)) {
                    if (answer != null) {
                        unexpected("patch at " + offset + " of job " + id + " (Range " + range + ")", answer);
                    }
                    complete = false;
                    break;
                }
                events.add(new Event(Kind.PATCH, after, after - before, length));
                sha.update(body);
                crc.update(body);
                offset += length;
            }
            if (complete && artifacts != null) {
                complete = upload(id, jobToken);
            }
            // The server that took the last append (with balance=request the next one is the other).
            int lastWriter = settings.balancePerRequest() ? (instance + apis.size() - 1) % apis.size() : instance;
            sent.put(id, new SentLog(index, lastWriter, offset, HexFormat.of().formatHex(sha.digest()), complete));
            String checksum = "crc32:" + String.format("%08x", crc.getValue());
            String update = "{\"token\":\"" + jobToken + "\",\"state\":\"" + (complete ? "success" : "failed")
                    + "\",\"checksum\":\"" + checksum + "\",\"output\":{\"checksum\":\"" + checksum
                    + "\",\"bytesize\":" + offset + "},\"info\":" + INFO + "}";
            for (int attempt = 0; attempt < 20; attempt++) {
                long before = System.nanoTime();
                HttpResponse<byte[]> answer = send(HttpRequest.newBuilder(api().resolve("jobs/" + id))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(update)), "finish");
                long after = System.nanoTime();
                if (answer != null && answer.statusCode() == 200) {
                    events.add(new Event(Kind.FINISH, after, after - before, 0));
                    return;
                }
                if (answer == null || answer.statusCode() != 202) {
                    if (answer != null) {
                        unexpected("finish job " + id, answer);
                    }
                    return;
                }
                // 202: the server still persists the log and asks to be asked again.
                Thread.sleep(100);
            }
            unexpected.add("finish job " + id + ": still 202 after 20 attempts");
        }

        /** gitlab-runner's artifacts upload: multipart with the archive as {@code file}; 201 expected. */
        private boolean upload(long id, String jobToken) throws InterruptedException {
            byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"artifact_format\"\r\n\r\nzip"
                    + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"artifact_type\"\r\n\r\n"
                    + "archive\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
                    + "filename=\"artifacts.zip\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
            long before = System.nanoTime();
            HttpResponse<byte[]> answer = send(HttpRequest.newBuilder(api().resolve("jobs/" + id + "/artifacts"))
                    .header("JOB-TOKEN", jobToken)
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofByteArray(artifacts),
                            HttpRequest.BodyPublishers.ofByteArray(tail))), "upload");
            long after = System.nanoTime();
            if (answer == null || answer.statusCode() != 201) {
                if (answer != null) {
                    unexpected("artifacts upload of job " + id, answer);
                }
                return false;
            }
            events.add(new Event(Kind.UPLOAD, after, after - before, 0));
            return true;
        }

        private HttpResponse<byte[]> send(HttpRequest.Builder request, String what) throws InterruptedException {
            try {
                HttpResponse<byte[]> answer = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                statuses.computeIfAbsent(what + " " + answer.statusCode(), any -> new AtomicInteger())
                        .incrementAndGet();
                if (answer.statusCode() >= 500) {
                    serverErrors.incrementAndGet();
                }
                return answer;
            } catch (IOException e) {
                statuses.computeIfAbsent(what + " " + e.getClass().getSimpleName(), any -> new AtomicInteger())
                        .incrementAndGet();
                unexpected.add(what + ": " + e);
                return null;
            }
        }
    }

    private void unexpected(String what, HttpResponse<byte[]> answer) {
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        unexpected.add(what + " → " + answer.statusCode() + " " + (body.length() > 200 ? body.substring(0, 200)
                : body));
    }

    /**
     * Keeps about {@link #QUEUED_PER_RUNNER} pending jobs per runner queued by creating pipelines, one thread per
     * server so that creating pipelines keeps up with the runners.
     */
    private final class Feeder {
        private final List<Client> clients;
        private final long project;
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicInteger sequence = new AtomicInteger();
        /** Jobs of the pipelines created or being created: reserved before a pipeline is asked for. */
        private final AtomicLong jobsPlanned = new AtomicLong();
        private volatile boolean finished;
        private volatile Exception failure;

        Feeder(List<Client> clients, long project) {
            this.clients = clients;
            this.project = project;
            for (int i = 0; i < clients.size(); i++) {
                int server = i;
                Thread thread = new Thread(() -> feed(server), "pipeline-feeder-" + i);
                thread.setDaemon(true);
                threads.add(thread);
            }
        }

        /** Queues the first jobs before the clock starts (on either server in turn), then keeps topping up. */
        void fill() throws Exception {
            for (int n = 0; topUp(n % clients.size()); n++) {
                // another pipeline
            }
            threads.forEach(Thread::start);
        }

        boolean finished() {
            return finished;
        }

        private boolean topUp(int server) throws Exception {
            long wanted = settings.jobs() > 0 ? settings.jobs() : Long.MAX_VALUE;
            long planned;
            do {
                planned = jobsPlanned.get();
                if (planned >= wanted) {
                    finished = true;
                    return false;
                }
                if (planned - jobsAssigned.get() >= (long) QUEUED_PER_RUNNER * settings.runners()) {
                    return false;
                }
            } while (!jobsPlanned.compareAndSet(planned, planned + JOBS_PER_PIPELINE));
            int n = sequence.incrementAndGet();
            long before = System.nanoTime();
            clients.get(server).adminJson("POST", "/projects/" + project + "/pipeline", "ref=main&sha="
                    + String.format("%040x", n) + "&ci_config=" + encode(ciConfig()), 201);
            pipelineMillis.add(Duration.ofNanos(System.nanoTime() - before).toMillis());
            jobsCreated.addAndGet(JOBS_PER_PIPELINE);
            return true;
        }

        private void feed(int server) {
            try {
                while (!stop.get()) {
                    if (!topUp(server)) {
                        Thread.sleep(20);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure = e;
                unexpected.add("creating a pipeline: " + e);
            }
        }

        void stopAndJoin() throws Exception {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
            if (failure != null) {
                System.out.println("feeder failed: " + failure);
            }
        }
    }

    private static String ciConfig() {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < JOBS_PER_PIPELINE; i++) {
            yaml.append("job-").append(i).append(": {stage: test, script: [make check]}\n");
        }
        return yaml.toString();
    }

    // ---- the figures ----

    private static void resetStatementStatistics(FleetDatabase database) throws java.sql.SQLException {
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            statement.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /**
     * PostgreSQL's own account (pg_stat_statements) of the statements since the window's start, the most expensive
     * first: where the database's CPU per job goes. Execution time only; parsing, planning and the protocol's work are
     * in the CPU figures, not here.
     */
    private static void printStatementStatistics(FleetDatabase database, int top, long jobs)
            throws java.sql.SQLException {
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT calls, total_exec_time, rows, query "
                     + "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT " + top)) {
            System.out.printf("%nPostgreSQL statements since the window's start, by execution time (pg_stat_statements;"
                    + " per job finished since: %d)%n%n| calls/job | exec ms/job | ms/call | statement |%n"
                    + "|---:|---:|---:|---|%n", jobs);
            while (rows.next()) {
                long calls = rows.getLong(1);
                double total = rows.getDouble(2);
                String query = rows.getString(4).replaceAll("\\s+", " ").replace("|", "\\|");
                System.out.printf("| %.1f | %.2f | %.3f | %s |%n", calls / (double) Math.max(1, jobs),
                        total / Math.max(1, jobs), total / Math.max(1, calls),
                        query.length() > 110 ? query.substring(0, 110) + "…" : query);
            }
        }
    }

    /**
     * CPU time so far of the servers, the database's own processes (PostgreSQL; none for H2, which runs in the server)
     * and this JVM, and the load average, at one moment.
     */
    private record Snapshot(Duration servers, Duration database, Duration bench, String loadAverage) {
        /** Waits until {@code nanoTime} (a {@link System#nanoTime()} value), then reads. */
        static Snapshot at(long nanoTime, Servers servers, FleetDatabase database) {
            try {
                long wait = nanoTime - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
                return new Snapshot(servers.cpu(), database.cpu(),
                        ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO), readLoadAverage());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        static String msPerJob(Duration cpu, long jobs) {
            return String.format("%.1f (%.0f s of CPU)", jobs == 0 ? 0 : cpu.toMillis() / (double) jobs,
                    cpu.toMillis() / 1000.0);
        }
    }

    private void report(List<List<Event>> perRunner, long windowStart, long windowEnd, Duration wall, Snapshot first,
                        Snapshot last) {
        Map<Kind, List<Long>> latencies = new LinkedHashMap<>();
        Map<Kind, Long> counts = new HashMap<>();
        long bytes = 0;
        long requests = 0;
        for (List<Event> events : perRunner) {
            for (Event e : events) {
                if (e.atNanos() - windowStart < 0 || e.atNanos() - windowEnd > 0) {
                    continue;
                }
                latencies.computeIfAbsent(e.kind(), k -> new ArrayList<>()).add(e.latencyNanos());
                counts.merge(e.kind(), 1L, Long::sum);
                bytes += e.bytes();
                requests++;
            }
        }
        double seconds = (windowEnd - windowStart) / 1e9;
        long assigned = counts.getOrDefault(Kind.ASSIGNED, 0L);
        List<Long> requestLatencies = new ArrayList<>(latencies.getOrDefault(Kind.ASSIGNED, List.of()));
        requestLatencies.addAll(latencies.getOrDefault(Kind.NO_JOB, List.of()));
        System.out.printf("run: %.0f s of load in all, %.1f s measured after %d s of warm-up; load average %s at "
                + "the start of the window and %s at its end (the machine is shared)%n", wall.toMillis() / 1000.0,
                seconds, settings.warmupSeconds(), first.loadAverage(), last.loadAverage());
        System.out.println();
        System.out.println("| figure | value |");
        System.out.println("|---|---:|");
        System.out.printf("| assignments/s | %.1f (%d jobs in %.1f s) |%n", assigned / seconds, assigned, seconds);
        System.out.printf("| trace MiB/s (acknowledged bytes) | %.1f (%d PATCHes, %.0f MiB) |%n",
                bytes / seconds / (1 << 20), counts.getOrDefault(Kind.PATCH, 0L), bytes / (double) (1 << 20));
        System.out.printf("| runner requests/s (all kinds) | %.0f |%n", requests / seconds);
        System.out.printf("| PATCH trace p50 / p99 ms | %s |%n", percentiles(latencies.get(Kind.PATCH)));
        System.out.printf("| POST jobs/request p50 / p99 ms (all / 201 only) | %s / %s (%d with a job, %d "
                        + "without) |%n", percentiles(requestLatencies), percentiles(latencies.get(Kind.ASSIGNED)),
                assigned, counts.getOrDefault(Kind.NO_JOB, 0L));
        System.out.printf("| POST jobs/:id/artifacts (%d KiB) p50 / p99 ms | %s |%n", settings.artifactKiB(),
                percentiles(latencies.get(Kind.UPLOAD)));
        System.out.printf("| PUT jobs/:id (success) p50 / p99 ms | %s |%n", percentiles(latencies.get(Kind.FINISH)));
        System.out.printf("| CPU of the %s, ms per job | %s |%n", settings.servers() == 1
                        ? "server (H2 inside)" : "two servers",
                Snapshot.msPerJob(last.servers().minus(first.servers()), assigned));
        if (!settings.h2()) {
            System.out.printf("| CPU of PostgreSQL, ms per job | %s |%n",
                    Snapshot.msPerJob(last.database().minus(first.database()), assigned));
        }
        System.out.printf("| CPU of the bench JVM (runners, feeder, S3Proxy if any), ms per job | %s |%n",
                Snapshot.msPerJob(last.bench().minus(first.bench()), assigned));
        System.out.printf("| pipelines created (20 jobs each), p50 / p99 ms | %d, %s |%n", pipelineMillis.size(),
                percentilesOfMillis(pipelineMillis));
        System.out.printf("| double assignments | %d |%n", doubleAssignments.size());
        System.out.printf("| 5xx / unexpected answers (5xx included) | %d / %d |%n", serverErrors.get(),
                unexpected.size());
        System.out.println();
        System.out.println("answers over the whole run (warm-up included): " + new TreeMap<>(toInts(statuses)));
    }

    private static Map<String, Integer> toInts(Map<String, AtomicInteger> counters) {
        Map<String, Integer> map = new HashMap<>();
        counters.forEach((k, v) -> map.put(k, v.get()));
        return map;
    }

    private static String percentiles(List<Long> nanos) {
        if (nanos == null || nanos.isEmpty()) {
            return "-";
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("%.1f / %.1f", at(sorted, 0.50) / 1e6, at(sorted, 0.99) / 1e6);
    }

    private static String percentilesOfMillis(List<Long> millis) {
        if (millis.isEmpty()) {
            return "-";
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return at(sorted, 0.50) + " / " + at(sorted, 0.99);
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    // ---- the checks ----

    /** Every job of the project through the API: handed-out jobs succeeded on their runner, the rest wait. */
    private void verifyJobs(Client client, long project, Map<Long, Integer> runnerIndexById, List<String> failures)
            throws Exception {
        Map<String, Integer> census = new TreeMap<>();
        int seen = 0;
        for (int page = 1; ; page++) {
            JsonNode jobs = client.adminJson("GET", "/projects/" + project + "/jobs?per_page=100&page=" + page,
                    null, 200);
            for (JsonNode job : jobs) {
                seen++;
                long id = job.get("id").asLong();
                String status = job.get("status").asText();
                census.merge(status, 1, Integer::sum);
                Integer taker = takenBy.get(id);
                SentLog log = sent.get(id);
                if (taker == null) {
                    if (!status.equals("pending")) {
                        failures.add("job " + id + " was never handed out but is " + status);
                    }
                    continue;
                }
                String expected = log != null && log.complete() ? "success" : "failed";
                if (!status.equals(expected)) {
                    failures.add("job " + id + " is " + status + ", expected " + expected);
                }
                JsonNode runner = job.get("runner");
                Integer ranOn = runner == null || runner.isNull() ? null
                        : runnerIndexById.get(runner.get("id").asLong());
                if (!taker.equals(ranOn)) {
                    failures.add("job " + id + " was handed to runner " + taker + " but names runner " + ranOn);
                }
            }
            if (jobs.size() < 100) {
                break;
            }
        }
        if (seen != jobsCreated.get()) {
            failures.add("the project lists " + seen + " jobs, " + jobsCreated.get() + " were created");
        }
        System.out.printf("%njobs: %d created, listed through the API: %s%n", jobsCreated.get(), census);
    }

    /**
     * Issue 18: the servers archive finished jobs' logs in the background, from {@code trace_archive_queue}. Before the
     * log checks read the archives, the queue is given up to two minutes to empty; how many logs waited when the load
     * stopped and how long they took is printed (a build without the queue archives in the request: nothing waits).
     *
     * @return whether the queue emptied
     */
    private static boolean awaitArchiveQueueDrained(FleetDatabase database) throws Exception {
        long start = System.nanoTime();
        long atStop = -1;
        try (Connection connection = database.connect();
             Statement sql = connection.createStatement()) {
            while (true) {
                long waiting;
                try (ResultSet rows = sql.executeQuery("SELECT COUNT(*) FROM trace_archive_queue")) {
                    rows.next();
                    waiting = rows.getLong(1);
                } catch (java.sql.SQLException noQueue) {
                    System.out.println("archive queue: none (this build archives logs in the finishing request)");
                    return false;
                }
                if (atStop < 0) {
                    atStop = waiting;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (waiting == 0) {
                    System.out.printf("archive queue: %d logs waiting when the load stopped, all archived %.1f s "
                            + "later%n", atStop, seconds);
                    return true;
                }
                if (seconds > 120) {
                    System.out.printf("archive queue: %d logs waiting when the load stopped, %d still after %.0f s%n",
                            atStop, waiting, seconds);
                    return false;
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * Logs. A finished job's log is archived into the artifact store as its trace artifact, whose row records size and
     * SHA-256: every log is checked against what its runner sent from those rows (or, for a log not archived, from its
     * live length). Then a sample is read back through the other server, length and SHA-256.
     */
    private void verifyLogs(List<Client> clients, long project, FleetDatabase database, List<String> failures)
            throws Exception {
        Map<Long, String[]> archived = new HashMap<>();
        Map<Long, Long> live = new HashMap<>();
        try (Connection connection = database.connect();
             Statement sql = connection.createStatement()) {
            try (ResultSet rows = sql.executeQuery("SELECT job_id, size_bytes, sha256 FROM job_artifacts"
                    + " WHERE file_type = 3")) {
                while (rows.next()) {
                    archived.put(rows.getLong(1), new String[] {Long.toString(rows.getLong(2)), rows.getString(3)});
                }
            }
            if (settings.storage().equals("s3")) {
                try (ResultSet rows = sql.executeQuery("SELECT job_id, length FROM trace_lengths")) {
                    while (rows.next()) {
                        live.put(rows.getLong(1), rows.getLong(2));
                    }
                }
            }
        }
        int mismatched = 0;
        int stillLive = 0;
        for (Map.Entry<Long, SentLog> entry : sent.entrySet()) {
            SentLog log = entry.getValue();
            String[] row = archived.get(entry.getKey());
            String problem = null;
            if (row != null) {
                if (Long.parseLong(row[0]) != log.bytes() || !log.sha256().equals(row[1])) {
                    problem = "archived log of " + row[0] + " bytes (sha256 " + row[1] + ")";
                }
            } else if (live.containsKey(entry.getKey())) {
                stillLive++;
                if (live.get(entry.getKey()) != log.bytes()) {
                    problem = "live log of " + live.get(entry.getKey()) + " bytes, not archived";
                }
            } else if (log.bytes() != 0) {
                problem = "no archived log" + (settings.storage().equals("s3") ? " and no live log" : "");
            }
            if (problem != null) {
                mismatched++;
                failures.add("job " + entry.getKey() + ": " + problem + "; the runner sent " + log.bytes()
                        + " bytes (sha256 " + log.sha256() + ")");
            }
        }
        System.out.printf("logs: all %d compared with what their runner sent from the database (%d archived trace "
                + "artifacts: size and SHA-256; %d live logs: length), %d differ%n", sent.size(), archived.size(),
                stillLive, mismatched);
        List<Long> ids = new ArrayList<>(sent.keySet());
        Collections.shuffle(ids, new Random(8));
        int sample = settings.verify().equals("all") ? ids.size()
                : Math.min(ids.size(), Integer.parseInt(settings.verify()));
        long bytes = 0;
        int wrong = 0;
        for (long id : ids.subList(0, sample)) {
            SentLog log = sent.get(id);
            // Read through the other server than the one that wrote last: the log must be the same on either.
            Client reader = clients.get((log.instance() + 1) % clients.size());
            HttpResponse<InputStream> answer = reader.http.send(HttpRequest.newBuilder(
                            reader.uri("/projects/" + project + "/jobs/" + id + "/trace"))
                    .header("PRIVATE-TOKEN", adminToken).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest sha = sha256();
            long length = 0;
            try (InputStream in = answer.body()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                    length += n;
                }
            }
            bytes += length;
            String digest = HexFormat.of().formatHex(sha.digest());
            if (answer.statusCode() != 200 || length != log.bytes() || !digest.equals(log.sha256())) {
                wrong++;
                failures.add("job " + id + ": log read through the other server answered " + answer.statusCode()
                        + " with " + length + " bytes (sha256 " + digest + "), the runner sent " + log.bytes()
                        + " (sha256 " + log.sha256() + ")");
            }
        }
        System.out.printf("logs: %d of %d read back through the other server (%.0f MiB), length and SHA-256 "
                + "compared, %d differ%n", sample, ids.size(), bytes / (double) (1 << 20), wrong);
    }

    // ---- servers, database, bucket ----

    /** Two standalone servers, each a {@code java -jar} process of its own on one database. */
    private record Servers(List<Process> processes, List<Integer> ports) implements AutoCloseable {
        static Servers start(Settings settings, String adminToken, FleetDatabase database, Bucket bucket)
                throws Exception {
            List<Process> processes = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            Servers servers = new Servers(processes, ports);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
            try {
                for (int i = 0; i < settings.servers(); i++) {
                    int port = freePort();
                    Path data = settings.work().resolve(bucket == null ? "data-shared" : "data-" + i);
                    List<String> command = new ArrayList<>();
                    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                    int server = i;
                    settings.javaOpts().forEach(option -> command.add(option.replace("{server}", "" + server)));
                    command.add("-jar");
                    command.add(settings.jar().toString());
                    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(settings.work().resolve("server-" + i + ".log").toFile());
                    Map<String, String> env = builder.environment();
                    env.put("JOBYARD_PORT", Integer.toString(port));
                    env.put("JOBYARD_BIND", "127.0.0.1");
                    env.put("JOBYARD_EXTERNAL_URL", "http://127.0.0.1:" + port);
                    env.put("JOBYARD_DATA_DIR", data.toString());
                    env.put("JOBYARD_DB_URL", database.jdbcUrl());
                    env.put("JOBYARD_DB_USER", database.user());
                    env.put("JOBYARD_DB_PASSWORD", database.password());
                    // both servers read and write the same variables: one key (a bench, not a secret)
                    env.put("JOBYARD_ENCRYPTION_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
                    env.put("JOBYARD_DB_POOL_SIZE", Integer.toString(settings.pool()));
                    env.put("JOBYARD_ADMIN_TOKEN", adminToken);
                    env.put("JOBYARD_MAX_LOG_SIZE", Math.max(100, settings.logKiB() / 1024 + 1) + "m");
                    if (bucket != null) {
                        env.put("JOBYARD_STORAGE", "s3");
                        env.put("JOBYARD_S3_ENDPOINT", bucket.endpoint().toString());
                        env.put("JOBYARD_S3_BUCKET", "jobyard");
                        env.put("JOBYARD_S3_ACCESS_KEY", S3_ACCESS_KEY);
                        env.put("JOBYARD_S3_SECRET_KEY", S3_SECRET_KEY);
                    }
                    processes.add(builder.start());
                    ports.add(port);
                    // One after the other: the first migrates the schema and creates the administrator.
                    awaitReady(processes.get(i), port, settings.work().resolve("server-" + i + ".log"));
                }
                return servers;
            } catch (Exception e) {
                servers.close();
                throw e;
            }
        }

        /**
         * Waits for readiness, as a load balancer would: the start's warm-up (JOBYARD_WARMUP, up to 90 s) is over, so
         * it does not take a core from the measured window.
         */
        private static void awaitReady(Process process, int port, Path log) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() - deadline < 0) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server on port " + port + " exited: " + Files.readString(log));
                }
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/readiness"))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("server on port " + port + " was not ready within 10 min");
        }

        /** CPU time so far of the server processes. */
        Duration cpu() {
            return processes.stream().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                    .reduce(Duration.ZERO, Duration::plus);
        }

        @Override
        public void close() throws Exception {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** The servers' database, and the bench's own connections to it (for the queue's length and the checks). */
    private interface FleetDatabase extends AutoCloseable {
        String jdbcUrl();

        String user();

        String password();

        String describe() throws Exception;

        /** A connection of the bench's own; only once the servers run (H2's first opener owns the file). */
        Connection connect() throws java.sql.SQLException;

        /** CPU time so far of the database's own processes: zero for H2, whose work is in the server's figure. */
        Duration cpu() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** An embedded PostgreSQL that both servers share. */
    private record PostgresDatabase(EmbeddedPostgres postgres, Path dataDirectory) implements FleetDatabase {
        static PostgresDatabase start(Path dataDirectory, boolean statementStatistics) throws IOException {
            // zonky turns synchronous_commit off for tests' speed: a commit would not wait for its WAL to reach the
            // disk, and a transaction holding a lock through its commit (the event counter's) would hold it shorter
            // than on a production server, which keeps PostgreSQL's default
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dataDirectory)
                    .setServerConfig("synchronous_commit", "on");
            if (statementStatistics) {
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
            }
            return new PostgresDatabase(builder.start(), dataDirectory);
        }

        @Override
        public String jdbcUrl() {
            return postgres.getJdbcUrl("postgres", "postgres");
        }

        @Override
        public String user() {
            return "postgres";
        }

        @Override
        public String password() {
            return "postgres";
        }

        @Override
        public String describe() throws Exception {
            try (Connection connection = connect();
                 Statement sql = connection.createStatement();
                 ResultSet rows = sql.executeQuery("SHOW server_version")) {
                rows.next();
                return "PostgreSQL " + rows.getString(1) + " (embedded, one database)";
            }
        }

        @Override
        public Connection connect() throws java.sql.SQLException {
            return postgres.getPostgresDatabase().getConnection();
        }

        /**
         * Its postmaster (named in {@code postmaster.pid}; pg_ctl detaches it from this JVM) and the postmaster's
         * children, the backends that serve the two pools.
         */
        @Override
        public Duration cpu() throws IOException {
            long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
            return ProcessHandle.of(postmaster).map(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p),
                            p.descendants()).map(h -> h.info().totalCpuDuration().orElse(Duration.ZERO))
                    .reduce(Duration.ZERO, Duration::plus)).orElse(Duration.ZERO);
        }

        @Override
        public void close() throws IOException {
            postgres.close();
        }
    }

    /**
     * H2 in a file, in the one server's process as by default ({@code WRITE_DELAY=0} like the default URL); its mixed
     * mode ({@code AUTO_SERVER}) lets the bench read the queue and the checks' rows through the server's own listener.
     */
    private record H2Database(Path directory) implements FleetDatabase {
        @Override
        public String jdbcUrl() {
            return "jdbc:h2:file:" + directory.toAbsolutePath().resolve("jobyard") + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
        }

        @Override
        public String user() {
            return "sa";
        }

        @Override
        public String password() {
            return "";
        }

        @Override
        public String describe() {
            return "H2 " + org.h2.engine.Constants.FULL_VERSION + " (a file, in the server's process)";
        }

        @Override
        public Connection connect() throws java.sql.SQLException {
            return java.sql.DriverManager.getConnection(jdbcUrl(), user(), password());
        }

        @Override
        public Duration cpu() {
            return Duration.ZERO;
        }

        @Override
        public void close() {
            // the server's process owns it
        }
    }

    /** S3Proxy over an in-memory jclouds blob store, checking v4 signatures, on a free loopback port. */
    private record Bucket(BlobStoreContext context, S3Proxy proxy, URI endpoint) implements AutoCloseable {
        static Bucket start() throws Exception {
            BlobStoreContext context = ContextBuilder.newBuilder("transient")
                    .credentials(S3_ACCESS_KEY, S3_SECRET_KEY).build(BlobStoreContext.class);
            context.getBlobStore().createContainerInLocation(null, "jobyard");
            S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3_ACCESS_KEY, S3_SECRET_KEY)
                    .endpoint(URI.create("http://127.0.0.1:0")).build();
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
            return new Bucket(context, proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
        }

        @Override
        public void close() throws Exception {
            try {
                proxy.stop();
            } finally {
                context.close();
            }
        }
    }

    /** The setup and check calls, as the administrator. */
    private static final class Client {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        final URI base;
        private final String adminToken;

        Client(URI base, String adminToken) {
            this.base = base;
            this.adminToken = adminToken;
        }

        URI uri(String path) {
            return base.resolve("/api/v4" + path);
        }

        JsonNode adminJson(String method, String path, String form, int expected) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("PRIVATE-TOKEN", adminToken)
                    .timeout(Duration.ofSeconds(60));
            if (form != null) {
                request.header("Content-Type", "application/x-www-form-urlencoded");
            }
            HttpResponse<byte[]> answer = http.send(request.method(method, form == null
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": "
                        + new String(answer.body(), StandardCharsets.UTF_8));
            }
            return JSON.readTree(answer.body());
        }
    }

    // ---- small helpers ----

    /** Log text no secret can hide in (hex digits, spaces and newlines), so the server stores it unchanged. */
    private static byte[] logText(Random random, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % 80 == 79 ? '\n' : "0123456789abcdef ".charAt(random.nextInt(17)));
        }
        return bytes;
    }

    /** Marks a chunk with its job and offset, so that bytes landing in the wrong log or place change its digest. */
    private static void stamp(byte[] body, long job, long offset) {
        byte[] mark = String.format("job %d at %d\n", job, offset).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(mark, 0, body, 0, Math.min(mark.length, body.length));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String readLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
