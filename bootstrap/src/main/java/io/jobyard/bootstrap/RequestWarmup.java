package io.jobyard.bootstrap;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.bootstrap.logging.ConsoleLogging;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The warm-up before readiness ({@code JOBYARD_WARMUP}): a fresh JVM runs every request path interpreted and compiles
 * the hot ones only after thousands of calls, so a server that takes load straight after its start answers a fraction
 * of its steady rate for over a minute. This runs the real request paths — Undertow's parsing, routing,
 * authentication, the use cases, JSON, the SQL statements on H2 — before {@code /-/readiness} turns green, until the
 * JIT compilers have caught up with them ({@link CompilerQuiet}) or its time is up, so the JIT has compiled them by
 * the time a load balancer sends traffic.
 *
 * <p>It never touches the server's data: it builds a throwaway Jobyard of its own (an H2 database and filesystem
 * storage in a fresh temporary directory, its own administrator token and encryption key, served by its own HTTP
 * listener on a free loopback port), gives it a project whose pipelines' jobs a runner runs through the runner protocol,
 * and reads them the way clients do, over keep-alive HTTP/1.1 connections, until the time is up. Everything is deleted
 * afterwards. A failure is logged and ends the warm-up early; it never keeps the server from turning ready. (Not
 * final only so that tests can replace {@link #run}.)
 */
class RequestWarmup implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestWarmup.class);
    private static final Pattern RUNNER_TOKEN = Pattern.compile("\"token\":\"(glrt-[^\"]+)\"");
    private static final Pattern ID = Pattern.compile("^\\{\"id\":(\\d+)");
    private static final Pattern JOB_TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final Pattern PERSONAL_TOKEN = Pattern.compile("\"token\":\"(glpat-[^\"]+)\"");
    private static final String PROJECT = "/api/v4/projects/warmup%2Fwarmup";
    private static final String CI_CONFIG = "build: {stage: build, script: [make], artifacts: {paths: [out/]}}\n"
            + "unit: {stage: test, script: [make test]}\n"
            + "lint: {stage: test, script: [make lint]}\n"
            + "deploy: {stage: deploy, script: [make deploy], when: manual}";

    private final UnaryOperator<JobyardBuilder> settings;
    private final int maxRounds;
    private final Path tempParent;
    /** Ends the warm-up before its time once the JIT has caught up; null: only the time ends it. */
    private final CompilerQuiet compilerQuiet;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile long deadline;
    private volatile Thread thread;

    /** @param settings applies the server's own settings (limits, timeouts, URL) to the throwaway Jobyard's builder */
    RequestWarmup(UnaryOperator<JobyardBuilder> settings) {
        this(settings, Integer.MAX_VALUE, null, CompilerQuiet.ofThisJvm().orElse(null));
    }

    /**
     * For tests: ends after {@code maxRounds} rounds of reads if its time is not up before, and keeps its throwaway
     * directory under {@code tempParent} (null: the system's temporary directory).
     */
    RequestWarmup(UnaryOperator<JobyardBuilder> settings, int maxRounds, Path tempParent) {
        this(settings, maxRounds, tempParent, null);
    }

    /** For tests: as above, and ended early by {@code compilerQuiet} (null: only by rounds and time). */
    RequestWarmup(UnaryOperator<JobyardBuilder> settings, int maxRounds, Path tempParent,
                  CompilerQuiet compilerQuiet) {
        this.settings = settings;
        this.maxRounds = maxRounds;
        this.tempParent = tempParent;
        this.compilerQuiet = compilerQuiet;
    }

    /** A warm-up that is already over: {@code JOBYARD_WARMUP=0}. */
    static RequestWarmup disabled() {
        RequestWarmup warmup = new RequestWarmup(UnaryOperator.identity());
        warmup.done.complete(0L);
        return warmup;
    }

    /** Starts the warm-up on a daemon thread, for at most {@code budget}. */
    synchronized RequestWarmup start(Duration budget) {
        if (done.isDone() || thread != null) {
            return this;
        }
        deadline = System.nanoTime() + budget.toNanos();
        thread = new Thread(() -> done.complete(runQuietly()), "jobyard-warmup-requests");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * Whether readiness may turn green: the warm-up is over (finished, failed, disabled or stopped) or its time is up.
     * Its setup (the throwaway database's migrations) cannot be cut short, so on a starved machine it may still run
     * after its time: it then stops before its first request, but readiness does not wait for that.
     */
    boolean isDone() {
        return done.isDone() || (thread != null && System.nanoTime() - deadline >= 0);
    }

    /** How many requests the warm-up made once it is over; 0 when it was disabled or failed at once. */
    CompletableFuture<Long> result() {
        return done.copy();
    }

    /** Stops the warm-up and waits a moment for it to clean up. */
    @Override
    public void close() {
        stopped = true;
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            try {
                running.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long runQuietly() {
        long started = System.nanoTime();
        long[] requests = {0};
        try {
            run(deadline, requests);
            LOG.info("Warm-up: {} requests on a throwaway project in {} ms", requests[0],
                    (System.nanoTime() - started) / 1_000_000);
        } catch (Exception | LinkageError | AssertionError e) {
            LOG.warn("Warm-up ended early after {} requests ({}); the server turns ready without it", requests[0],
                    e.toString());
        }
        return requests[0];
    }

    /** What the warm-up runs on its thread, until {@code deadline} ({@link System#nanoTime()}); a seam for tests. */
    void run(long deadline, long[] requests) throws IOException {
        Path dir = tempParent == null ? Files.createTempDirectory("jobyard-warmup")
                : Files.createTempDirectory(tempParent, "jobyard-warmup");
        try {
            runIn(dir, deadline, requests);
        } finally {
            deleteRecursively(dir);
        }
    }

    private void runIn(Path dir, long deadline, long[] requests) throws IOException {
        String adminToken = "glpat-warmup-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        HikariDataSource dataSource = DataSources.create(DataSources.Settings.of(
                DataSources.h2FileUrl(dir.resolve("db")), "sa", "", 2));
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Jobyard jobyard = null;
        JobyardServer server = null;
        try {
            jobyard = settings.apply(Jobyard.builder())
                    .meterRegistry(metrics)
                    .ownedDataSource(dataSource, dataSource)
                    .filesystemStorage(dir.resolve("storage"))
                    .encryptionKey(key)
                    .build();
            jobyard.ensureFirstAdministrator(adminToken);
            // Access lines formatted as the server's own are, then dropped: the formatting is on every request's path.
            server = new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(1))
                    .withAccessLog(ConsoleLogging.discarding("io.jobyard.access.warmup"));
            server.start();
            try (Client client = new Client(server.port(), adminToken, requests)) {
                exercise(client, deadline, requests);
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (jobyard != null) {
                jobyard.close();
            } else {
                dataSource.close();
            }
            metrics.close();
        }
    }

    /**
     * A project, a runner and two members, then rounds of a pipeline run by the runner and read by a client, until the
     * deadline. Most clients are not administrators and many read with a token limited to reading: the reads are made
     * with such tokens as well, and one member reads on a second connection at the same time. (An administrator's
     * token takes other branches of the scope and membership checks, and code compiled having seen only one caller at
     * a time waits on no lock; either way the first real requests would throw it away and compile it again.)
     */
    private void exercise(Client admin, long deadline, long[] requests) throws IOException {
        if (stopped || System.nanoTime() - deadline >= 0) {
            return;
        }
        admin.expect("POST", "/api/v4/projects", "name=warmup&namespace_path=warmup&visibility=private", 201);
        String projectId = find(ID, admin.expect("GET", PROJECT, null, 200));
        String runner = find(RUNNER_TOKEN, admin.expect("POST", "/api/v4/user/runners",
                "runner_type=instance_type&run_untagged=true", 201));
        String byId = "/api/v4/projects/" + projectId;
        List<String> jobs = new CopyOnWriteArrayList<>();
        List<String> pipelines = new CopyOnWriteArrayList<>();
        long[] alongsideRequests = {0};
        try (Client maintainer = admin.as(member(admin, projectId, "warmup-maintainer", 40, "api"));
             Client developer = new Client(admin.port, member(admin, projectId, "warmup-developer", 30, "read_api"),
                     alongsideRequests)) {
            Client[] readers = {admin, maintainer};
            Alongside alongside = null;
            try {
                for (int round = 0; round < maxRounds && !stopped && System.nanoTime() - deadline < 0; round++) {
                    if (compilerQuiet != null && compilerQuiet.quietAt(System.nanoTime())) {
                        LOG.info("Warm-up: the JIT compilers are done with the request paths after {} rounds", round);
                        return;
                    }
                    if (round % 50 == 0) {
                        // A pipeline through the runner protocol now and then: the write paths, and lists to read.
                        pipelines.add(find(ID, admin.expect("POST", PROJECT + "/pipeline", "ref=main&sha="
                                + "a".repeat(40) + "&ci_config=" + URLEncoder.encode(CI_CONFIG,
                                StandardCharsets.UTF_8), 201)));
                        for (int i = 0; i < 3; i++) {
                            jobs.add(runJob(admin, runner, i == 0, i == 2 ? "failed" : "success"));
                        }
                        if (alongside == null) {
                            alongside = new Alongside(developer, byId, jobs, pipelines);
                        }
                    }
                    alongside.check();
                    read(readers[round % readers.length], byId, jobs, pipelines, round);
                    if (round % 10 == 0) {
                        admin.expect("POST", "/api/v4/jobs/request", "token=" + runner, 204);
                    }
                }
            } finally {
                if (alongside != null) {
                    alongside.stop();
                }
                requests[0] += alongsideRequests[0];
            }
        }
    }

    /** One round of a client's reads. */
    private static void read(Client client, String byId, List<String> jobs, List<String> pipelines, int round)
            throws IOException {
        String job = jobs.get(round % jobs.size());
        String first = jobs.get(0);
        String pipeline = pipelines.get(pipelines.size() - 1);
        client.expect("GET", byId + "/jobs/" + job, null, 200);
        client.expect("GET", PROJECT + "/jobs/" + job, null, 200);
        client.expect("GET", byId + "/jobs", null, 200);
        client.expect("GET", byId + "/jobs/" + job, null, 200);
        client.expect("GET", byId + "/jobs?scope[]=failed&scope[]=success", null, 200);
        client.expect("GET", byId + "/jobs?pagination=keyset&order_by=id&sort=desc&per_page=5", null, 200);
        client.expect("GET", byId + "/pipelines/" + pipeline + "/jobs", null, 200);
        client.expect("GET", byId + "/pipelines", null, 200);
        client.expect("GET", byId + "/pipelines/" + pipeline, null, 200);
        client.expect("GET", byId + "/jobs/" + job, null, 200);
        client.expect("GET", "/api/v4/user", null, 200);
        client.expect("GET", byId + "/jobs/" + job + "/trace", null, 200);
        client.expect("GET", byId + "/jobs/" + first + "/artifacts/out/report.txt", null, 200);
        client.expect("GET", byId + "/jobs/999999999", null, 404);
        if (round % 10 == 0) {
            client.expect("GET", byId + "/jobs/" + first + "/artifacts", null, 200);
        }
    }

    /** A user of the project with {@code accessLevel} and a token of {@code scope}; answers the token. */
    private static String member(Client admin, String projectId, String username, int accessLevel, String scope)
            throws IOException {
        String user = find(ID, admin.expect("POST", "/api/v4/users", "username=" + username + "&name=" + username
                + "&email=" + username + "%40warmup.invalid", 201));
        admin.expect("POST", "/api/v4/projects/" + projectId + "/members", "user_id=" + user + "&access_level="
                + accessLevel, 201);
        return find(PERSONAL_TOKEN, admin.expect("POST", "/api/v4/users/" + user + "/personal_access_tokens",
                "name=warmup&scopes[]=" + scope, 201));
    }

    /**
     * A client reading on its own connection and thread while the warm-up's main client goes on, so the server's paths
     * are compiled having met concurrent callers (the connection pool handing over, locks contended), as under load.
     */
    private final class Alongside {
        private final Thread thread;
        private volatile boolean done;
        private volatile Exception failure;

        Alongside(Client client, String byId, List<String> jobs, List<String> pipelines) {
            thread = new Thread(() -> {
                try {
                    // At least one whole round, however soon the main client is done.
                    int round = 0;
                    do {
                        read(client, byId, jobs, pipelines, round++);
                    } while (!done && !stopped);
                } catch (Exception e) {
                    failure = e;
                }
            }, "jobyard-warmup-alongside");
            thread.setDaemon(true);
            thread.start();
        }

        /** Ends the warm-up as the main client's own failure would. */
        void check() throws IOException {
            Exception failed = failure;
            if (failed != null) {
                throw new IOException("the second warm-up connection failed: " + failed, failed);
            }
        }

        void stop() {
            done = true;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String runJob(Client client, String runner, boolean artifact, String state) throws IOException {
        String payload = client.expect("POST", "/api/v4/jobs/request", "token=" + runner, 201);
        String job = find(ID, payload);
        String jobToken = find(JOB_TOKEN, payload);
        String log = "\u001b[32;1m$ make\u001b[0;m\nsection_start:1:build\rbuilding\nsection_end:1:build\r\n";
        client.send("PATCH", "/api/v4/jobs/" + job + "/trace", List.of("JOB-TOKEN", jobToken,
                "Content-Range", "0-" + (log.length() - 1)), "text/plain", log.getBytes(StandardCharsets.UTF_8), 202);
        if (artifact) {
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(zip)) {
                out.putNextEntry(new ZipEntry("out/report.txt"));
                out.write("all good\n".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            String boundary = "jobyard-warmup";
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
                    + "filename=\"artifacts.zip\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(zip.toByteArray());
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            client.send("POST", "/api/v4/jobs/" + job + "/artifacts", List.of("JOB-TOKEN", jobToken),
                    "multipart/form-data; boundary=" + boundary, body.toByteArray(), 201);
        }
        client.expect("PUT", "/api/v4/jobs/" + job, "token=" + jobToken + "&state=" + state, 200);
        return job;
    }

    /** The first group of {@code pattern}'s first match in {@code text} (the training shares it). */
    static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in " + text);
        }
        return matcher.group(1);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete the warm-up's directory {}: {}", dir, e.toString());
        }
    }

    /**
     * A minimal HTTP/1.1 client on one keep-alive connection: cheap enough that the CPU goes to the server's paths
     * rather than to a client library's (which would itself need compiling), and it reads whole answers, chunked or
     * not, so every response is generated to the end.
     */
    private static final class Client implements Closeable {
        private final int port;
        private final String token;
        private final long[] requests;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Client(int port, String token, long[] requests) {
            this.port = port;
            this.token = token;
            this.requests = requests;
        }

        /** Another client of the same server and request count, on its own connection, presenting {@code other}. */
        Client as(String other) {
            return new Client(port, other, requests);
        }

        String expect(String method, String path, String form, int status) throws IOException {
            return send(method, path, List.of("PRIVATE-TOKEN", token), form == null ? null
                    : "application/x-www-form-urlencoded", form == null ? null
                    : form.getBytes(StandardCharsets.UTF_8), status);
        }

        String send(String method, String path, List<String> headers, String contentType, byte[] body, int status)
                throws IOException {
            if (socket == null) {
                socket = new Socket(InetAddress.getLoopbackAddress(), port);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                in = new BufferedInputStream(socket.getInputStream(), 16384);
                out = socket.getOutputStream();
            }
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (int i = 0; i < headers.size(); i += 2) {
                head.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
                        .append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            requests[0]++;
            return read(method + " " + path, status);
        }

        private String read(String request, int expected) throws IOException {
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    copy(size, body);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                copy(length, body);
            }
            if (close) {
                close();
            }
            String text = body.toString(StandardCharsets.UTF_8);
            if (status != expected) {
                throw new IllegalStateException(request + " answered " + status + " (expected " + expected + "): "
                        + text.substring(0, Math.min(200, text.length())));
            }
            return text;
        }

        private void copy(long length, ByteArrayOutputStream to) throws IOException {
            byte[] buffer = new byte[8192];
            for (long left = length; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("connection closed mid-answer");
                }
                to.write(buffer, 0, n);
                left -= n;
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed mid-answer");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }
}
