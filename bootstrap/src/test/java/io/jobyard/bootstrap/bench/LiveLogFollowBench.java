package io.jobyard.bootstrap.bench;

import io.jobyard.application.port.in.runner.AppendTraceUseCase.AppendTraceCommand;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.live.FollowEnd;
import io.jobyard.application.port.in.live.LiveLogEvent;
import io.jobyard.application.port.in.live.LiveLogSink;
import io.jobyard.application.port.in.live.LogFollow;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardServer;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobId;

import com.zaxxer.hikari.HikariDataSource;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jobyard.bootstrap.bench.BenchFigures.line;
import static io.jobyard.bootstrap.bench.BenchFigures.loadAverage;
import static io.jobyard.bootstrap.bench.BenchFigures.ms;
import static io.jobyard.bootstrap.bench.BenchFigures.usedHeapAfterGc;

/**
 * Issue 16's follower benchmark (not part of {@code mvn verify}): one running job on the embedded setup (H2 file
 * database, filesystem storage), {@code followers} followers of its log on this instance, and a runner appending
 * {@code appends} lines of {@code bytes} bytes every {@code intervalMs}. Reports append-to-delivery latency over every
 * (append, follower) pair — from the moment the append call returned (committed) to the moment the follower's sink was
 * offered the bytes — the threads and the heap the followers cost, and the load average around the run.
 *
 * <pre>
 * mvn -B -q -pl bootstrap -am test-compile exec:java -Dexec.skip=true \
 *     -Dexec.mainClass=io.jobyard.bootstrap.bench.LiveLogFollowBench \
 *     -Dexec.args="followers=1000 appends=300 bytes=200 intervalMs=50"
 * </pre>
 */
public final class LiveLogFollowBench {
    private static final String ADMIN_TOKEN = "bench-live-log-admin-token-0123456789";

    private LiveLogFollowBench() {
    }

    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> a = BenchArgs.parse(args);
        int followers = Integer.parseInt(a.getOrDefault("followers", "1000"));
        int appends = Integer.parseInt(a.getOrDefault("appends", "300"));
        int bytes = Integer.parseInt(a.getOrDefault("bytes", "200"));
        int intervalMs = Integer.parseInt(a.getOrDefault("intervalMs", "50"));
        Path dir = Files.createTempDirectory("jobyard-live-bench-");
        String loadBefore = loadAverage();
        try (HikariDataSource pool = DataSources.create(DataSources.Settings.of(
                DataSources.h2FileUrl(dir.resolve("db")), "sa", "", 10));
             Jobyard jobyard = Jobyard.builder().dataSource(pool).filesystemStorage(dir).build()) {
            jobyard.ensureFirstAdministrator(ADMIN_TOKEN);
            Jobyard.UseCases ci = jobyard.useCases();
            Actor admin = ci.authenticate().byAccessToken(ADMIN_TOKEN);
            JobId job;
            String jobToken;
            ProjectRef projectRef;
            try (JobyardServer server = new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(),
                    java.time.Duration.ofSeconds(5), jobyard::ready).start()) {
                BenchHttp http = new BenchHttp(java.net.URI.create("http://127.0.0.1:" + server.port()));
                long project = BenchHttp.id(http.adminForm("/projects", ADMIN_TOKEN, "name", "live",
                        "namespace_path", "bench"));
                projectRef = ProjectRef.of(io.jobyard.domain.project.ProjectId.of(project));
                http.adminForm("/projects/" + project + "/pipeline", ADMIN_TOKEN, "ref", "main",
                        "sha", String.format("%040x", 1), "ci_config", "build: {script: [make]}");
                String runner = BenchHttp.token(http.adminForm("/user/runners", ADMIN_TOKEN,
                        "runner_type", "instance_type"));
                String taken = http.form("POST", "/jobs/request", "X", null, BenchHttp.pairs("token", runner));
                job = JobId.of(BenchHttp.id(taken));
                jobToken = BenchHttp.token(taken);
            }
            // Warm-up: a few followers and appends, so the JIT's first seconds do not count.
            long length = 0;
            List<LogFollow> warm = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                warm.add(ci.followTrace().follow(admin, projectRef, job, 0, new Recording(new long[0])));
            }
            for (int i = 0; i < 200; i++) {
                length = ci.appendTrace().append(new AppendTraceCommand(job, jobToken, length,
                        new ByteArrayInputStream(line(i, bytes)))).length();
            }
            warm.forEach(LogFollow::cancel);
            Thread.sleep(500);

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long heapBefore = usedHeapAfterGc(memory);
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            // Every line has exactly `bytes` bytes, so where each append ends is known before it is made.
            long[] ends = new long[appends];
            for (int i = 0; i < appends; i++) {
                ends[i] = length + (long) (i + 1) * bytes;
            }
            List<Recording> sinks = new ArrayList<>();
            for (int i = 0; i < followers; i++) {
                Recording sink = new Recording(ends);
                sinks.add(sink);
                ci.followTrace().follow(admin, projectRef, job, length, sink);
            }
            long subscribed = System.nanoTime();
            while (sinks.stream().anyMatch(s -> s.statusSeen == 0)) {
                if (System.nanoTime() - subscribed > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("followers did not start");
                }
                Thread.sleep(5);
            }
            long heapFollowing = usedHeapAfterGc(memory);
            int threadsFollowing = ManagementFactory.getThreadMXBean().getThreadCount();

            long[] returned = new long[appends];
            long[] began = new long[appends];
            for (int i = 0; i < appends; i++) {
                began[i] = System.nanoTime();
                length = ci.appendTrace().append(new AppendTraceCommand(job, jobToken, length,
                        new ByteArrayInputStream(line(1000 + i, bytes)))).length();
                returned[i] = System.nanoTime();
                if (length != ends[i]) {
                    throw new IllegalStateException("append " + i + " ended at " + length + ", not " + ends[i]);
                }
                Thread.sleep(intervalMs);
            }
            long waitFrom = System.nanoTime();
            long finalLength = length;
            while (sinks.stream().anyMatch(s -> s.offset < finalLength)) {
                if (System.nanoTime() - waitFrom > TimeUnit.SECONDS.toNanos(60)) {
                    break;
                }
                Thread.sleep(5);
            }
            long heapAfter = usedHeapAfterGc(memory);

            long[] fromReturn = new long[appends * followers];
            long[] fromStart = new long[appends * followers];
            int n = 0;
            int missing = 0;
            for (Recording sink : sinks) {
                for (int i = 0; i < appends; i++) {
                    long arrived = sink.arrivals[i];
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
            long cutOff = sinks.stream().filter(s -> s.closed != null).count();
            System.out.printf("followers %d, appends %d x %d bytes every %d ms (H2 file, filesystem live logs)%n",
                    followers, appends, bytes, intervalMs);
            System.out.printf("append returned -> delivered: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d deliveries, "
                            + "%d missing)%n", ms(fromReturn, 50), ms(fromReturn, 99), ms(fromReturn, 100), n, missing);
            System.out.printf("append called   -> delivered: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    ms(fromStart, 50), ms(fromStart, 99), ms(fromStart, 100));
            System.out.printf("threads: %d before the followers, %d while %d follow (%d of them the live log pool)%n",
                    threadsBefore, threadsFollowing, followers, liveLogThreads());
            long recordingBytes = (long) followers * (appends * 8L + 64);
            System.out.printf("heap after GC: %.1f MiB before, %.1f MiB following (+%.1f KiB per follower, "
                            + "of which ~%.1f KiB is the benchmark's own arrival table), %.1f MiB after the appends%n",
                    heapBefore / 1048576.0, heapFollowing / 1048576.0,
                    (heapFollowing - heapBefore) / 1024.0 / followers, recordingBytes / 1024.0 / followers,
                    heapAfter / 1048576.0);
            System.out.printf("followers cut off: %d; load average before %s, after %s%n", cutOff, loadBefore,
                    loadAverage());
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long liveLogThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("jobyard-live-log")).count();
    }

    /** A follower that keeps only when each append's end arrived. */
    static final class Recording implements LiveLogSink {
        final long[] arrivals;
        final long[] expectedEnds;
        volatile long offset = -1;
        volatile long statusSeen;
        volatile FollowEnd closed;
        private int next;

        Recording(long[] expectedEnds) {
            this.expectedEnds = expectedEnds;
            this.arrivals = new long[expectedEnds.length];
        }

        @Override
        public long offer(LiveLogEvent event) {
            long now = System.nanoTime();
            if (event instanceof LiveLogEvent.Status) {
                statusSeen = now;
            } else if (event instanceof LiveLogEvent.Bytes part) {
                offset = part.end();
                while (next < expectedEnds.length && expectedEnds[next] <= part.end()) {
                    arrivals[next++] = now;
                }
            }
            return 0;
        }

        @Override
        public long pendingBytes() {
            return 0;
        }

        @Override
        public void closed(FollowEnd reason) {
            closed = reason;
        }
    }
}
