package io.jobyard.bootstrap.reliability;

import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 §3, the {@code auth} reliability run: the standalone server with its default throttle (ten different
 * unknown tokens a minute, then an hour's ban), one client guessing personal access tokens as fast as eight
 * connections allow, and one legitimate client reading jobs at a steady pace — first from another address
 * (127.0.0.2 and 127.0.0.1: both loopback, two addresses to the server), then from the guesser's own address. It
 * reports how many guesses the server evaluated (answered 401 rather than 429) per minute, how fast it refused the
 * rest, and the legitimate client's latency before and during the attack.
 *
 * <p>Reduced to a few seconds in {@code mvn verify}, where only counts are asserted (guesses evaluated never exceed
 * the limit, every legitimate request from the other address succeeds); {@code -Dreliability.full=true} runs 30 s
 * without and 60 s with the attack and prints the figures {@code bench/reliability auth} collects.
 * {@code -Dreliability.auth.throttle=false} runs the same against a server without the throttle, for comparison.
 */
class AuthThrottleReliabilityTest {
    private static final String ADMIN_TOKEN = "auth-reliability-admin-token-0123456789";
    private static final String GUESSER = "127.0.0.2";
    private static final int GUESSING_CONNECTIONS = 8;
    /** The legitimate client's pace: a request every this many milliseconds. */
    private static final long PACE_MILLIS = 20;

    @TempDir
    Path dataDir;

    @Test
    void a_guessing_client_gets_ten_answers_and_the_legitimate_client_keeps_its_latency() throws Exception {
        int baselineSeconds = ReliabilitySize.of("auth.baseline.seconds", 2, 30);
        int attackSeconds = ReliabilitySize.of("auth.attack.seconds", 5, 60);
        boolean throttle = !"false".equals(System.getProperty("reliability.auth.throttle"));
        System.out.printf("auth throttle: %d s without, %d s with a guessing client on %d connections; throttle %s%n",
                baselineSeconds, attackSeconds, GUESSING_CONNECTIONS, throttle ? "on" : "OFF");
        try (QuietLogs quiet = new QuietLogs();
             Standalone server = Standalone.start(Configuration.from(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND",
                     "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN,
                     "JOBYARD_AUTH_THROTTLE", Boolean.toString(throttle))))) {
            int port = server.port();
            Api api = new Api("http://127.0.0.1:" + port, ADMIN_TOKEN);
            long project = api.createProject("acme", "throttled");
            long job = api.createPipeline(project, "build: {script: [make]}", 1).get(0);
            String read = "/api/v4/projects/" + project + "/jobs/" + job;

            Latencies baseline = legitimate(port, "127.0.0.1", read, baselineSeconds, null);
            Guessing guessing = new Guessing(port);
            Latencies during;
            try {
                guessing.start();
                during = legitimate(port, "127.0.0.1", read, attackSeconds, guessing);
            } finally {
                guessing.stop();
            }
            Latencies sameAddress = legitimate(port, GUESSER, read, 1, null);

            double minutes = guessing.seconds() / 60.0;
            System.out.printf(Locale.ROOT, "auth throttle: guesser sent %d guesses in %.1f s (%.0f/s): %d evaluated "
                            + "(answered 401) in all, %.1f per minute of the run (the limit: 10 per address, then "
                            + "a ban of 1 h), %d refused by the throttle (429); answers %s%n",
                    guessing.sent.get(), guessing.seconds(), guessing.sent.get() / guessing.seconds(),
                    guessing.evaluated(), guessing.evaluated() / minutes, guessing.throttled(),
                    new TreeMap<>(guessing.statuses));
            System.out.printf(Locale.ROOT, "auth throttle: legitimate client from another address, without attack: "
                    + "%s%n", baseline);
            System.out.printf(Locale.ROOT, "auth throttle: legitimate client from another address, during attack: "
                    + "%s%n", during);
            System.out.printf(Locale.ROOT, "auth throttle: legitimate client from the guesser's address after the "
                    + "attack: %s%n", sameAddress);

            assertThat(baseline.failures()).isZero();
            assertThat(during.failures()).as("legitimate requests from another address refused").isZero();
            if (throttle) {
                assertThat(guessing.evaluated()).as("guesses the server evaluated").isLessThanOrEqualTo(10);
                assertThat(guessing.throttled()).as("guesses refused by the throttle").isPositive();
                assertThat(sameAddress.statuses()).as("the guesser's address is banned").containsOnlyKeys(429);
            }
        }
    }

    /** Requests at a steady pace from {@code from} for {@code seconds}, timing each. */
    private static Latencies legitimate(int port, String from, String path, int seconds, Guessing during)
            throws IOException, InterruptedException {
        List<Long> micros = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try (RawClient client = new RawClient(port, from)) {
            while (System.nanoTime() < end) {
                long started = System.nanoTime();
                int status = client.get(path, ADMIN_TOKEN);
                micros.add((System.nanoTime() - started) / 1000);
                statuses.merge(status, 1, Integer::sum);
                long sleep = PACE_MILLIS - (System.nanoTime() - started) / 1_000_000;
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
        }
        return new Latencies(micros, statuses);
    }

    record Latencies(List<Long> micros, Map<Integer, Integer> statuses) {
        long failures() {
            return statuses.entrySet().stream().filter(e -> e.getKey() != 200).mapToLong(Map.Entry::getValue).sum();
        }

        long percentile(double p) {
            List<Long> sorted = new ArrayList<>(micros);
            Collections.sort(sorted);
            return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms, statuses %s",
                    micros.size(), percentile(0.50) / 1000.0, percentile(0.99) / 1000.0, percentile(1.0) / 1000.0,
                    statuses);
        }
    }

    /** Connections from {@link #GUESSER}, each sending a new random token as soon as the last was answered. */
    private static final class Guessing {
        private final int port;
        private final ExecutorService threads = Executors.newFixedThreadPool(GUESSING_CONNECTIONS);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Future<?>> workers = new ArrayList<>();
        final AtomicInteger sent = new AtomicInteger();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        private final AtomicLong started = new AtomicLong();
        private final AtomicLong stopped = new AtomicLong();

        Guessing(int port) {
            this.port = port;
        }

        void start() {
            started.set(System.nanoTime());
            for (int c = 0; c < GUESSING_CONNECTIONS; c++) {
                int connection = c;
                workers.add(threads.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        try (RawClient client = new RawClient(port, GUESSER)) {
                            while (running.get()) {
                                int status = client.get("/api/v4/user", "glpat-guess-" + connection + "-" + n++);
                                sent.incrementAndGet();
                                statuses.computeIfAbsent(status, any -> new AtomicInteger()).incrementAndGet();
                            }
                        } catch (IOException closedByServer) {
                            // a 429 may close the connection: open another
                        }
                    }
                    return null;
                }));
            }
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get();
            }
            stopped.set(System.nanoTime());
            threads.shutdownNow();
        }

        double seconds() {
            return (stopped.get() - started.get()) / 1e9;
        }

        int evaluated() {
            return statuses.getOrDefault(401, new AtomicInteger()).get();
        }

        int throttled() {
            return statuses.getOrDefault(429, new AtomicInteger()).get();
        }
    }

    /**
     * HTTP/1.1 with keep-alive over a socket bound to a chosen loopback address (Java's HttpClient cannot choose its
     * source address), reading each answer by its Content-Length.
     */
    static final class RawClient implements AutoCloseable {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;

        RawClient(int port, String from) throws IOException {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 10_000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        int get(String path, String token) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nPRIVATE-TOKEN: " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead();
            int status = Integer.parseInt(head.substring(9, 12));
            long length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            in.skipNBytes(length);
            return status;
        }

        private String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : 0;
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
