package io.jobyard.bootstrap.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Issue 5's HTTP figures against a running standalone server (not a test; nothing here asserts). Everything is set up
 * through the HTTP API the way a GitLab installation is used: a user with a personal access token, a project, a
 * runner, a pipeline; the runner takes the jobs, uploads a 1 GiB / 10,000-entry archive and a small one, streams a
 * 200 MiB log in 1 MiB PATCHes and finishes the jobs. Then it measures, as that user:
 * <ul>
 *   <li>the whole archive through {@code GET …/jobs/:id/artifacts} with {@code curl -o /dev/null} vs
 *       {@code cat} of the stored file (best of 3 each, page cache warm for both);</li>
 *   <li>one file out of the big and out of the small archive, {@code requests} times each on one keep-alive
 *       connection (JDK client), alternating, after {@code requests / 2} warm-up rounds, median and p99;</li>
 *   <li>the 200 MiB log through {@code GET …/trace} with curl, with the server's peak heap and resident size.</li>
 * </ul>
 * Arguments ({@code key=value}): {@code url}, {@code pid} (the server's), {@code data} (its data directory),
 * {@code work} (scratch space for the zips), {@code archiveMiB=1024}, {@code entries=10000}, {@code traceMiB=200},
 * {@code requests=1000}. The admin token comes from {@code JOBYARD_ADMIN_TOKEN}. The server must accept the sizes:
 * {@code JOBYARD_MAX_ARTIFACT_SIZE} above the archive, {@code JOBYARD_MAX_LOG_SIZE} above the log.
 */
public final class ArtifactServingBench {
    private static final int MIB = 1 << 20;
    /** A small deflated text file in the middle of each archive: the file the single-file figures fetch. */
    private static final String PROBE = "reports/junit-probe.xml";

    private final BenchHttp http;
    private final URI base;
    private final String adminToken;
    private final long pid;
    private final Path data;
    private final Path work;

    private ArtifactServingBench(URI base, String adminToken, long pid, Path data, Path work) {
        this.http = new BenchHttp(base);
        this.base = base;
        this.adminToken = adminToken;
        this.pid = pid;
        this.data = data;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = BenchArgs.parse(args);
        String adminToken = System.getenv("JOBYARD_ADMIN_TOKEN");
        if (adminToken == null) {
            throw new IllegalArgumentException("JOBYARD_ADMIN_TOKEN is not set");
        }
        ArtifactServingBench bench = new ArtifactServingBench(URI.create(a.get("url")), adminToken,
                Long.parseLong(a.get("pid")), Path.of(a.get("data")), Path.of(a.get("work")));
        bench.run(Long.parseLong(a.getOrDefault("archiveMiB", "1024")),
                Integer.parseInt(a.getOrDefault("entries", "10000")),
                Long.parseLong(a.getOrDefault("traceMiB", "200")),
                Integer.parseInt(a.getOrDefault("requests", "1000")));
    }

    private void run(long archiveMiB, int entries, long traceMiB, int requests) throws Exception {
        Files.createDirectories(work);
        long userId = BenchHttp.id(http.adminForm("users", adminToken, "username", "bench", "name", "Bench",
                "email", "bench@example.com"));
        String userToken = BenchHttp.token(http.adminForm("users/" + userId + "/personal_access_tokens", adminToken,
                "name", "bench", "scopes[]", "api"));
        long project = BenchHttp.id(http.adminForm("projects", adminToken, "name", "artifacts",
                "namespace_path", "bench", "visibility", "private"));
        http.adminForm("projects/" + project + "/members", adminToken, "user_id", Long.toString(userId),
                "access_level", "40");
        String runnerToken = BenchHttp.token(http.adminForm("user/runners", adminToken,
                "runner_type", "instance_type", "run_untagged", "true"));
        http.form("POST", "projects/" + project + "/pipeline", "PRIVATE-TOKEN", userToken, BenchHttp.pairs(
                "ref", "main", "sha", "0".repeat(40),
                "ci_config", "big: {script: [make]}\nsmall: {script: [make]}\nlog: {script: [make]}\n"));
        RunnerJob big = requestJob(runnerToken);
        RunnerJob small = requestJob(runnerToken);
        RunnerJob log = requestJob(runnerToken);

        Path bigZip = work.resolve("big.zip");
        Path smallZip = work.resolve("small.zip");
        long start = System.nanoTime();
        writeZip(bigZip, archiveMiB * MIB, entries);
        System.out.printf("generated %s: %d MiB, %d entries, in %.1f s%n", bigZip, Files.size(bigZip) / MIB, entries,
                seconds(start));
        writeZip(smallZip, MIB, 10);

        start = System.nanoTime();
        upload(big, bigZip);
        double uploadSeconds = seconds(start);
        upload(small, smallZip);
        long bigZipSize = Files.size(bigZip);
        Files.delete(smallZip);
        Files.delete(bigZip);
        start = System.nanoTime();
        appendLog(log, traceMiB);
        double appendSeconds = seconds(start);
        for (RunnerJob job : new RunnerJob[] {big, small, log}) {
            http.form("PUT", "jobs/" + job.id, null, null, BenchHttp.pairs("token", job.token, "state", "success"));
        }
        long archiveBytes = Math.round(archiveMiB * (double) MIB);
        System.out.printf("upload of the big archive through POST /jobs/:id/artifacts: %.0f MiB/s; log appended in"
                + " 1 MiB PATCHes at %.0f MiB/s%n", archiveBytes / (double) MIB / uploadSeconds,
                traceMiB / appendSeconds);

        String jobPath = base + "/api/v4/projects/" + project + "/jobs/";
        Path stored = fileOfSize(data.resolve("artifacts"), bigZipSize);
        long storedSize = Files.size(stored);
        Timing httpArchive;
        ServerMemory.Figures archiveMemory;
        try (ServerMemory memory = ServerMemory.watch(pid)) {
            httpArchive = curl(jobPath + big.id + "/artifacts", userToken, storedSize);
            archiveMemory = memory.stop();
        }
        Timing catArchive = cat(stored);
        System.out.printf("| whole archive (%d MiB) through HTTP, curl -o /dev/null | %.0f MiB/s (best of 3) |%n",
                storedSize / MIB, httpArchive.mibPerSecond());
        System.out.printf("| the same file with cat > /dev/null | %.0f MiB/s; HTTP/cat ratio %.2f (target >= 0.8) |%n",
                catArchive.mibPerSecond(), httpArchive.mibPerSecond() / catArchive.mibPerSecond());
        System.out.printf("| server memory during the archive downloads | %s |%n", archiveMemory);

        Latencies[] single = singleFile(URI.create(jobPath + big.id + "/artifacts/" + PROBE),
                URI.create(jobPath + small.id + "/artifacts/" + PROBE), userToken, requests);
        Latencies fromBig = single[0];
        Latencies fromSmall = single[1];
        System.out.printf("| one file (%s) from the %d MiB / %d-entry archive, %d requests | median %.2f ms,"
                + " p99 %.2f ms (target median < 10 ms) |%n", PROBE, archiveMiB, entries, requests,
                fromBig.median(), fromBig.p99());
        System.out.printf("| the same file from a 1 MiB / 10-entry archive | median %.2f ms, p99 %.2f ms |%n",
                fromSmall.median(), fromSmall.p99());

        Timing httpTrace;
        ServerMemory.Figures traceMemory;
        try (ServerMemory memory = ServerMemory.watch(pid)) {
            httpTrace = curl(jobPath + log.id + "/trace", userToken, traceMiB * MIB);
            traceMemory = memory.stop();
        }
        System.out.printf("| %d MiB log through GET …/trace, curl -o /dev/null | %.0f MiB/s (best of 3) |%n",
                traceMiB, httpTrace.mibPerSecond());
        System.out.printf("| server memory during the log downloads | %s |%n", traceMemory);
        System.out.printf("(server max heap: see the jcmd line printed by bench/run; stored archive %s)%n", stored);
    }

    private record RunnerJob(long id, String token) {
    }

    private RunnerJob requestJob(String runnerToken) throws IOException, InterruptedException {
        String body = http.form("POST", "jobs/request", null, null, BenchHttp.pairs("token", runnerToken));
        return new RunnerJob(BenchHttp.id(body), BenchHttp.token(body));
    }

    /** The runner's multipart upload, streamed from the file (the JDK client never holds the body in memory). */
    private void upload(RunnerJob job, Path zip) throws IOException, InterruptedException {
        String boundary = "----jobyard-bench-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n" + job.token
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"artifacts.zip\""
                + "\r\nContent-Type: application/zip\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(http.uri("jobs/" + job.id + "/artifacts?artifact_type=archive"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("JOB-TOKEN", job.token)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofFile(zip), HttpRequest.BodyPublishers.ofString(tail)))
                .build();
        BenchHttp.expectSuccess(http.client().send(request, HttpResponse.BodyHandlers.ofString()), "upload");
    }

    private void appendLog(RunnerJob job, long mib) throws IOException, InterruptedException {
        byte[] chunk = "Step 42/97 : RUN make test -j2 ... ok\n".repeat(MIB / 38 + 1).substring(0, MIB)
                .getBytes(StandardCharsets.US_ASCII);
        for (long i = 0; i < mib; i++) {
            long from = i * MIB;
            HttpRequest request = HttpRequest.newBuilder(http.uri("jobs/" + job.id + "/trace"))
                    .header("JOB-TOKEN", job.token)
                    .header("Content-Range", from + "-" + (from + MIB - 1))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk)).build();
            BenchHttp.expectSuccess(http.client().send(request, HttpResponse.BodyHandlers.ofString()), "PATCH trace");
        }
    }

    /**
     * Writes a zip of about {@code totalBytes} with {@code entries} entries, streaming: binary entries are stored
     * (CRC computed first, as a stored entry needs), every tenth entry is a deflated text report, and the probe file
     * sits in the middle of the central directory.
     */
    static void writeZip(Path file, long totalBytes, int entries) throws IOException {
        byte[] pool = new byte[8 * MIB];
        new Random(42).nextBytes(pool);
        int binaryEntries = Math.max(1, entries - entries / 10 - 1);
        int entrySize = (int) Math.max(1, totalBytes / binaryEntries);
        byte[] text = "<testcase classname=\"io.jobyard.Bench\" name=\"case\" time=\"0.001\"/>\n".repeat(128)
                .getBytes(StandardCharsets.US_ASCII);
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), MIB);
             ZipOutputStream zip = new ZipOutputStream(raw)) {
            for (int i = 0; i < entries; i++) {
                if (i == entries / 2) {
                    zip.putNextEntry(new ZipEntry(PROBE));
                    zip.write(text);
                    zip.closeEntry();
                    continue;
                }
                if (i % 10 == 0) {
                    zip.putNextEntry(new ZipEntry(String.format("reports/junit-%05d.xml", i)));
                    zip.write(text);
                    zip.closeEntry();
                    continue;
                }
                int offset = (int) ((i * 7919L) % (pool.length - entrySize));
                ZipEntry entry = new ZipEntry(String.format("build/dir-%03d/file-%05d.bin", i % 100, i));
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(entrySize);
                entry.setCompressedSize(entrySize);
                CRC32 crc = new CRC32();
                crc.update(pool, offset, entrySize);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(pool, offset, entrySize);
                zip.closeEntry();
            }
        }
    }

    private record Timing(long bytes, double seconds) {
        double mibPerSecond() {
            return bytes / (double) MIB / seconds;
        }
    }

    /** Best of three {@code curl -o /dev/null}, each checked to have received all {@code expectedBytes}. */
    private static Timing curl(String url, String token, long expectedBytes) throws IOException, InterruptedException {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            Process curl = new ProcessBuilder("curl", "-sS", "--fail", "-o", "/dev/null", "-H",
                    "PRIVATE-TOKEN: " + token, "-w", "%{size_download} %{time_total}", url).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String err = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (curl.waitFor() != 0) {
                throw new IOException("curl " + url + " failed: " + err);
            }
            String[] parts = out.split(" ");
            if (Long.parseLong(parts[0]) != expectedBytes) {
                throw new IOException("curl " + url + " received " + parts[0] + " bytes, expected " + expectedBytes);
            }
            best = Math.min(best, Double.parseDouble(parts[1]));
        }
        return new Timing(expectedBytes, best);
    }

    private static Timing cat(Path file) throws IOException, InterruptedException {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Process cat = new ProcessBuilder("cat", file.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (cat.waitFor() != 0) {
                throw new IOException("cat failed");
            }
            best = Math.min(best, seconds(start));
        }
        return new Timing(Files.size(file), best);
    }

    record Latencies(double median, double p99) {
    }

    /**
     * The two downloads alternate, request by request, after a common warm-up: both see the same JIT state and the
     * same neighbours on a shared machine, so a difference between them is the archive's, not the moment's.
     */
    private Latencies[] singleFile(URI big, URI small, String token, int requests)
            throws IOException, InterruptedException {
        URI[] uris = {big, small};
        long[][] nanos = new long[2][requests];
        for (int i = -requests / 2; i < requests; i++) {
            for (int u = 0; u < 2; u++) {
                HttpRequest request = HttpRequest.newBuilder(uris[u]).header("PRIVATE-TOKEN", token).build();
                long start = System.nanoTime();
                HttpResponse<InputStream> response = http.client().send(request,
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    body.transferTo(OutputStream.nullOutputStream());
                }
                if (response.statusCode() != 200) {
                    throw new IOException(uris[u] + " answered " + response.statusCode());
                }
                if (i >= 0) {
                    nanos[u][i] = System.nanoTime() - start;
                }
            }
        }
        Latencies[] result = new Latencies[2];
        for (int u = 0; u < 2; u++) {
            Arrays.sort(nanos[u]);
            result[u] = new Latencies(nanos[u][requests / 2] / 1e6,
                    nanos[u][Math.min(requests - 1, requests * 99 / 100)] / 1e6);
        }
        return result;
    }

    /** The stored copy of the uploaded archive: the filesystem store keeps it byte for byte. */
    private static Path fileOfSize(Path root, long size) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            Optional<Path> stored = files.filter(Files::isRegularFile).filter(f -> sizeOf(f) == size).findFirst();
            return stored.orElseThrow(() -> new IOException("no stored file of " + size + " bytes under " + root));
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
