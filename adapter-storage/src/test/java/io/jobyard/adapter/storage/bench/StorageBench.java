package io.jobyard.adapter.storage.bench;

import io.jobyard.adapter.storage.fs.FilesystemArtifactStore;
import io.jobyard.adapter.storage.fs.FilesystemTraceStore;
import io.jobyard.adapter.storage.s3.CountingHttpClient;
import io.jobyard.adapter.storage.s3.S3ArtifactStore;
import io.jobyard.adapter.storage.s3.S3Clients;
import io.jobyard.adapter.storage.s3.S3ProxyServer;
import io.jobyard.adapter.storage.s3.S3Settings;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.domain.job.JobId;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Storage-level figures for issue 5's benchmark (not a test; nothing here asserts). Arguments:
 * {@code [artifactMiB=1024] [traceMiB=200]}. Prints:
 * <ul>
 *   <li>streaming a whole artifact through {@link FilesystemArtifactStore#read} vs {@code cat file > /dev/null};</li>
 *   <li>median latency of a 4 KiB ranged read near the end of that artifact;</li>
 *   <li>a live log of {@code traceMiB} appended in 1 MiB appends, then read whole, with the peak heap of the read;</li>
 *   <li>HTTP requests per ranged read on S3 (S3Proxy in process).</li>
 * </ul>
 * Run from the module with the test class path, e.g. {@code mvn -pl adapter-storage exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.jobyard.adapter.storage.bench.StorageBench}.
 */
public final class StorageBench {
    private static final int MIB = 1024 * 1024;

    private StorageBench() {
    }

    public static void main(String[] args) throws Exception {
        long artifactMiB = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        long traceMiB = args.length > 1 ? Long.parseLong(args[1]) : 200;
        Path work = Files.createTempDirectory("jobyard-bench");
        try {
            artifactRead(work, artifactMiB);
            traceRead(work, traceMiB);
            s3RequestsPerRangedRead(work);
        } finally {
            deleteRecursively(work);
        }
    }

    private static void artifactRead(Path work, long mib) throws Exception {
        FilesystemArtifactStore store = new FilesystemArtifactStore(work.resolve("artifacts"));
        String key = "projects/1/jobs/1/artifacts/1/artifacts.zip";
        Path file = work.resolve("artifacts/blobs").resolve(key);
        Files.createDirectories(file.getParent());
        writeRandom(file, mib * MIB);
        // Warm the page cache for both readers alike.
        drain(Files.newInputStream(file));

        double storeSeconds = best(3, () -> {
            try (BlobContent content = store.read(key, ByteRange.ALL)) {
                drain(content.stream());
            }
        });
        double catSeconds = best(3, () -> {
            Process cat = new ProcessBuilder("cat", file.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (cat.waitFor() != 0) {
                throw new IOException("cat failed");
            }
        });
        System.out.printf("artifact %d MiB: store %.0f MiB/s, cat %.0f MiB/s, ratio %.2f%n", mib,
                mib / storeSeconds, mib / catSeconds, catSeconds / storeSeconds);

        long size = mib * MIB;
        long[] nanos = new long[501];
        byte[] buffer = new byte[4096];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            try (BlobContent content = store.read(key, new ByteRange(size - 8192 - i, 4096))) {
                content.stream().readNBytes(buffer, 0, 4096);
            }
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("ranged 4 KiB read near the end of the artifact: median %.3f ms, p99 %.3f ms%n",
                nanos[nanos.length / 2] / 1e6, nanos[nanos.length * 99 / 100] / 1e6);
    }

    private static void traceRead(Path work, long mib) throws Exception {
        FilesystemTraceStore store = new FilesystemTraceStore(work.resolve("traces"));
        JobId job = JobId.of(1);
        byte[] line = "Step 42/97 : RUN make test -j2 ... ok\n".repeat(MIB / 38 + 1).substring(0, MIB).getBytes();
        long length = 0;
        long appendStart = System.nanoTime();
        for (long i = 0; i < mib; i++) {
            length = store.append(job, length, new java.io.ByteArrayInputStream(line), Long.MAX_VALUE);
        }
        double appendSeconds = (System.nanoTime() - appendStart) / 1e9;

        System.gc();
        long before = heapUsed();
        resetPeaks();
        long readStart = System.nanoTime();
        try (BlobContent content = store.read(job, ByteRange.ALL)) {
            drain(content.stream());
        }
        double readSeconds = (System.nanoTime() - readStart) / 1e9;
        long peak = heapPeak();
        System.out.printf("trace %d MiB: appended (1 MiB each, fsynced) at %.0f MiB/s; read at %.0f MiB/s;"
                        + " heap before read %.1f MiB, peak during read %.1f MiB (max heap %d MiB)%n",
                mib, mib / appendSeconds, mib / readSeconds, before / (double) MIB, peak / (double) MIB,
                Runtime.getRuntime().maxMemory() / MIB);
    }

    private static void s3RequestsPerRangedRead(Path work) throws Exception {
        S3ProxyServer server = S3ProxyServer.start();
        try {
            S3Settings settings = S3Settings.of(server.endpoint(), S3ProxyServer.REGION, "bench",
                    S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, work.resolve("s3-staging"));
            AtomicReference<CountingHttpClient> http = new AtomicReference<>();
            try (S3ArtifactStore store = new S3ArtifactStore(settings, S3Clients.clientBuilder(settings)
                    .httpClientBuilder(defaults -> {
                        http.set(new CountingHttpClient(S3Clients.httpClientBuilder().buildWithDefaults(defaults)));
                        return http.get();
                    }).build(), S3Clients.presigner(settings), Clock.systemUTC())) {
                store.createBucketIfMissing();
                byte[] bytes = new byte[4 * MIB];
                new Random(1).nextBytes(bytes);
                store.publish(store.stage(new java.io.ByteArrayInputStream(bytes), bytes.length), "bench.zip");
                int reads = 100;
                http.get().reset();
                for (int i = 0; i < reads; i++) {
                    try (BlobContent content = store.read("bench.zip", new ByteRange(i * 1000L, 4096))) {
                        drain(content.stream());
                    }
                }
                System.out.printf("S3: %d ranged reads cost %d HTTP requests (%s)%n", reads, http.get().sent().size(),
                        http.get().sent().stream().map(CountingHttpClient.Sent::method).distinct().toList());
            }
        } finally {
            server.stop();
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    private static double best(int times, Run run) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            run.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    private static long drain(InputStream in) throws IOException {
        try (in) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
            return total;
        }
    }

    private static void writeRandom(Path file, long size) throws IOException {
        byte[] block = new byte[MIB];
        new Random(7).nextBytes(block);
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            for (long written = 0; written < size; written += block.length) {
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long heapPeak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
