package io.jobyard.bootstrap.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardServer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static io.jobyard.bootstrap.bench.BenchFigures.line;
import static io.jobyard.bootstrap.bench.BenchFigures.loadAverage;
import static io.jobyard.bootstrap.bench.BenchFigures.ms;
import static io.jobyard.bootstrap.bench.BenchFigures.usedHeapAfterGc;

/**
 * Issue 16's follower benchmark over HTTP (not part of {@code mvn verify}): one running job on one instance (H2 file
 * database, filesystem storage, the standalone server's HTTP stack), {@code followers} clients following its log as
 * server-sent events ({@code GET .../trace} with {@code Accept: text/event-stream}), each on its own TCP connection,
 * and a runner appending {@code appends} lines of {@code bytes} bytes every {@code intervalMs} through
 * {@code PATCH /jobs/:id/trace}. The clients share one selector thread in this JVM; each parses the chunked SSE stream
 * and notes when each append's end offset arrived (its {@code id}). Reports append-to-delivery latency over every
 * (append, follower) pair — from the PATCH being sent, and from its 202 — the server's threads, the heap the followers
 * cost, and the load average around the run.
 *
 * <pre>
 * mvn -B -q -pl bootstrap -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt \
 *     -Dmdep.includeScope=test
 * java -Xmx512m -cp bootstrap/target/test-classes:bootstrap/target/classes:$(cat /tmp/cp.txt) \
 *     io.jobyard.bootstrap.bench.LiveTraceSseBench followers=1000 appends=600 bytes=200 intervalMs=50
 * </pre>
 */
public final class LiveTraceSseBench {
    private static final String ADMIN_TOKEN = "bench-live-sse-admin-token-0123456789";

    private LiveTraceSseBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = BenchArgs.parse(args);
        int followers = Integer.parseInt(a.getOrDefault("followers", "1000"));
        int appends = Integer.parseInt(a.getOrDefault("appends", "600"));
        int bytes = Integer.parseInt(a.getOrDefault("bytes", "200"));
        int intervalMs = Integer.parseInt(a.getOrDefault("intervalMs", "50"));
        Path dir = Files.createTempDirectory("jobyard-live-sse-bench-");
        String loadBefore = loadAverage();
        try (HikariDataSource pool = DataSources.create(DataSources.Settings.of(
                DataSources.h2FileUrl(dir.resolve("db")), "sa", "", 10));
             Jobyard jobyard = Jobyard.builder().dataSource(pool).filesystemStorage(dir).build();
             JobyardServer server = new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(1),
                     jobyard::ready).start()) {
            jobyard.ensureFirstAdministrator(ADMIN_TOKEN);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            BenchHttp http = new BenchHttp(URI.create("http://127.0.0.1:" + server.port()));
            long project = BenchHttp.id(http.adminForm("/projects", ADMIN_TOKEN, "name", "live",
                    "namespace_path", "bench"));
            http.adminForm("/projects/" + project + "/pipeline", ADMIN_TOKEN, "ref", "main",
                    "sha", String.format("%040x", 1), "ci_config", "build: {script: [make]}");
            String runner = BenchHttp.token(http.adminForm("/user/runners", ADMIN_TOKEN,
                    "runner_type", "instance_type"));
            String taken = http.form("POST", "/jobs/request", "X", null, BenchHttp.pairs("token", runner));
            long job = BenchHttp.id(taken);
            String jobToken = BenchHttp.token(taken);
            String path = "/api/v4/projects/" + project + "/jobs/" + job + "/trace";
            Appender appender = new Appender(http, job, jobToken);

            // Warm-up: a few followers and appends, so the JIT's first seconds do not count.
            try (Clients warm = new Clients(address, path, 0, new long[0])) {
                warm.open(20);
                for (int i = 0; i < 200; i++) {
                    appender.append(line(i, bytes));
                }
                warm.awaitAll(c -> c.offset >= appender.length, 60);
            }
            Thread.sleep(1000);

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long heapBefore = usedHeapAfterGc(memory);
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            java.util.Set<String> namesBefore = threadNames();
            long start = appender.length;
            long[] ends = new long[appends];
            for (int i = 0; i < appends; i++) {
                ends[i] = start + (long) (i + 1) * bytes;
            }
            try (Clients clients = new Clients(address, path, start, ends)) {
                clients.open(followers);
                clients.awaitAll(c -> c.statusSeen, 120);
                long heapFollowing = usedHeapAfterGc(memory);
                int threadsFollowing = ManagementFactory.getThreadMXBean().getThreadCount();
                String serverThreads = serverThreads();
                java.util.Set<String> newThreads = threadNames();
                newThreads.removeAll(namesBefore);

                long[] began = new long[appends];
                long[] returned = new long[appends];
                for (int i = 0; i < appends; i++) {
                    began[i] = System.nanoTime();
                    appender.append(line(1000 + i, bytes));
                    returned[i] = System.nanoTime();
                    if (appender.length != ends[i]) {
                        throw new IllegalStateException("append " + i + " ended at " + appender.length);
                    }
                    Thread.sleep(intervalMs);
                }
                long finalLength = appender.length;
                clients.awaitAll(c -> c.offset >= finalLength || c.closed, 60);
                long heapAfter = usedHeapAfterGc(memory);

                long[] fromReturn = new long[appends * followers];
                long[] fromStart = new long[appends * followers];
                int n = 0;
                int missing = 0;
                for (Client client : clients.all) {
                    for (int i = 0; i < appends; i++) {
                        long arrived = client.arrivals[i];
                        if (arrived == 0) {
                            missing++;
                            continue;
                        }
                        fromReturn[n] = Math.max(0, arrived - returned[i]);
                        fromStart[n] = arrived - began[i];
                        n++;
                    }
                }
                fromReturn = Arrays.copyOf(fromReturn, n);
                fromStart = Arrays.copyOf(fromStart, n);
                Arrays.sort(fromReturn);
                Arrays.sort(fromStart);
                long cutOff = clients.all.stream().filter(c -> c.closed).count();
                System.out.printf("SSE followers %d (one TCP connection each), appends %d x %d bytes every %d ms "
                        + "through PATCH /jobs/:id/trace (H2 file, filesystem live logs)%n", followers, appends,
                        bytes, intervalMs);
                System.out.printf("PATCH answered -> event parsed by the client: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
                                + " (%d deliveries, %d missing)%n", ms(fromReturn, 50), ms(fromReturn, 99),
                        ms(fromReturn, 100), n, missing);
                System.out.printf("PATCH sent     -> event parsed by the client: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        ms(fromStart, 50), ms(fromStart, 99), ms(fromStart, 100));
                System.out.printf("threads in the JVM: %d before the followers, %d while %d follow (the clients' "
                        + "selector is 1 of them; new: %s); server side: %s%n", threadsBefore, threadsFollowing,
                        followers, newThreads, serverThreads);
                long tables = (long) followers * (appends * 8L + 200);
                System.out.printf("heap after GC: %.1f MiB before, %.1f MiB following (+%.1f KiB per follower, of "
                                + "which ~%.1f KiB is the benchmark client's own arrival table and buffers), %.1f MiB "
                                + "after the appends%n", heapBefore / 1048576.0, heapFollowing / 1048576.0,
                        (heapFollowing - heapBefore) / 1024.0 / followers, tables / 1024.0 / followers,
                        heapAfter / 1048576.0);
                System.out.printf("connections closed by the server: %d; load average before %s, after %s%n",
                        cutOff, loadBefore, loadAverage());
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A runner's log appends over HTTP. */
    private static final class Appender {
        private final BenchHttp http;
        private final long job;
        private final String token;
        long length;

        Appender(BenchHttp http, long job, String token) {
            this.http = http;
            this.job = job;
            this.token = token;
        }

        void append(byte[] part) throws IOException, InterruptedException {
            HttpResponse<String> answer = http.client().send(HttpRequest.newBuilder(http.uri("/jobs/" + job
                            + "/trace")).header("JOB-TOKEN", token)
                    .header("Content-Range", length + "-" + (length + part.length - 1))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(part)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("append answered " + answer.statusCode() + ": " + answer.body());
            }
            length += part.length;
        }
    }

    /** One follower's connection and what it has parsed. */
    private static final class Client {
        final long[] ends;
        final long[] arrivals;
        int next;
        volatile long offset = -1;
        volatile boolean statusSeen;
        volatile boolean closed;
        // HTTP response: head, then chunked body
        boolean inBody;
        int headMatched;
        int chunkLeft = -1;
        int crlfLeft;
        final StringBuilder sizeLine = new StringBuilder();
        // SSE lines
        final StringBuilder line = new StringBuilder();
        String event;

        Client(long[] ends) {
            this.ends = ends;
            this.arrivals = new long[ends.length];
        }

        void feed(ByteBuffer buffer, long now) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (!inBody) {
                    headMatched = b == (headMatched % 2 == 0 ? '\r' : '\n') ? headMatched + 1 : (b == '\r' ? 1 : 0);
                    inBody = headMatched == 4;
                } else if (crlfLeft > 0) {
                    crlfLeft--;
                } else if (chunkLeft <= 0) {
                    if (b == '\n') {
                        String size = sizeLine.toString().trim();
                        sizeLine.setLength(0);
                        if (!size.isEmpty()) {
                            chunkLeft = Integer.parseInt(size, 16);
                        }
                    } else if (b != '\r') {
                        sizeLine.append((char) b);
                    }
                } else {
                    sse(b, now);
                    if (--chunkLeft == 0) {
                        crlfLeft = 2;
                    }
                }
            }
        }

        private void sse(byte b, long now) {
            if (b != '\n') {
                line.append((char) b);
                return;
            }
            if (line.length() == 0) {
                event = null;
            } else if (line.indexOf("event: ") == 0) {
                event = line.substring(7);
                if (event.equals("status")) {
                    statusSeen = true;
                }
            } else if (line.indexOf("id: ") == 0 && "append".equals(event)) {
                long end = Long.parseLong(line.substring(4));
                while (next < ends.length && ends[next] <= end) {
                    arrivals[next++] = now;
                }
                offset = end;
            }
            line.setLength(0);
        }
    }

    /** Followers on one selector thread. */
    private static final class Clients implements AutoCloseable {
        final List<Client> all = new ArrayList<>();
        private final InetSocketAddress address;
        private final byte[] request;
        private final long[] ends;
        private final Selector selector;
        private final Thread thread;
        private final ConcurrentLinkedQueue<Map.Entry<SocketChannel, Client>> toRegister =
                new ConcurrentLinkedQueue<>();
        private volatile boolean running = true;

        Clients(InetSocketAddress address, String path, long offset, long[] ends) throws IOException {
            this.address = address;
            this.ends = ends;
            this.request = ("GET " + path + "?offset=" + offset + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: "
                    + "text/event-stream\r\nPRIVATE-TOKEN: " + ADMIN_TOKEN + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            this.selector = Selector.open();
            this.thread = new Thread(this::loop, "bench-sse-clients");
            thread.setDaemon(true);
            thread.start();
        }

        void open(int count) throws IOException, InterruptedException {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(address);
                channel.write(ByteBuffer.wrap(request));
                channel.configureBlocking(false);
                Client client = new Client(ends);
                all.add(client);
                toRegister.add(Map.entry(channel, client));
                selector.wakeup();
                if (i % 100 == 99) {
                    Thread.sleep(50); // the server's accept backlog, not a race
                }
            }
        }

        private void loop() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            try {
                while (running) {
                    selector.select(100);
                    Map.Entry<SocketChannel, Client> fresh;
                    while ((fresh = toRegister.poll()) != null) {
                        fresh.getKey().register(selector, SelectionKey.OP_READ, fresh.getValue());
                    }
                    long now = System.nanoTime();
                    for (SelectionKey key : selector.selectedKeys()) {
                        Client client = (Client) key.attachment();
                        buffer.clear();
                        int read;
                        try {
                            read = ((SocketChannel) key.channel()).read(buffer);
                        } catch (IOException reset) {
                            read = -1;
                        }
                        if (read < 0) {
                            client.closed = true;
                            key.cancel();
                            key.channel().close();
                            continue;
                        }
                        buffer.flip();
                        client.feed(buffer, now);
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void awaitAll(java.util.function.Predicate<Client> done, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                if (all.stream().allMatch(done)) {
                    return;
                }
                Thread.sleep(10);
            }
            System.out.printf("(waited %d s; %d of %d followers not there)%n", seconds,
                    all.stream().filter(done.negate()).count(), all.size());
        }

        @Override
        public void close() throws IOException {
            running = false;
            selector.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        }
    }

    private static java.util.Set<String> threadNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
        return names;
    }

    private static String serverThreads() {
        long io = 0;
        long task = 0;
        long live = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.contains("I/O")) {
                io++;
            } else if (name.contains("task")) {
                task++;
            } else if (name.startsWith("jobyard-live-log")) {
                live++;
            }
        }
        return io + " XNIO I/O, " + task + " XNIO worker task, " + live + " live log pool";
    }

}
