package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, section 5: what one request can make is limited as GitLab limits it — 2,000 jobs
 * ({@code JOBYARD_MAX_PIPELINE_JOBS}), 2 MiB of configuration text and of parsed configuration, 100 levels
 * ({@code JOBYARD_MAX_CI_CONFIG_SIZE}, {@code _DEPTH}) — and the limits are applied before the work: sixteen large
 * requests at once (a 950 KB configuration of 40,000 jobs, as the report sent; 2,001 jobs; 2.5 MiB of text; an
 * alias bomb) are refused with GitLab's messages while the server keeps answering reads, and the heap grows by a
 * bounded amount. Before the limits, each 40,000-job request took half a minute and half a gigabyte.
 *
 * <p>Memory is the heap in use after the latest collection (what the collector found live), at its highest during the
 * burst: it grows with the requests in flight, each holding its body a few times over (bytes, text, decoded text), not
 * with what they would make. The bounds are generous (the machine is shared): every refusal within 60 s, every read
 * during the burst within 10 s, live heap growth below 64 MiB + 16 MiB per request in flight.
 * {@code -Dreliability.full=true} sends 64 requests at once.
 */
class LargePipelineRequestsTest {
    private static final String ADMIN_TOKEN = "large-requests-admin-token-0123456789";

    @TempDir
    Path dataDir;

    @Test
    void sixteenLargeRequestsAtOnceAreRefusedQuicklyWhileTheServerKeepsAnswering() throws Exception {
        int parallel = ReliabilitySize.of("limits.parallel", 16, 64);
        try (QuietLogs quiet = new QuietLogs();
             Standalone server = Standalone.start(Configuration.from(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND",
                     "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN)))) {
            Api api = new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
            long project = api.createProject("acme", "big");
            api.createPipeline(project, "build: {script: [make]}", 1);

            List<Large> kinds = List.of(
                    new Large("40,000 jobs", jobs(40_000), "The parsed YAML is too big"),
                    new Large("2,001 jobs", jobs(2_001),
                            "Pipeline has too many jobs! Requested 2001, but the limit is 2000."),
                    new Large("2.5 MiB of text", "build: {script: [make]}\n# " + "x".repeat(5 << 19),
                            "The provided YAML is too big"),
                    new Large("an alias bomb", aliasBomb(), "The parsed YAML is too big"));
            for (Large kind : kinds) {
                assertThat(kind.form().length()).as(kind.name()).isGreaterThan(40_000);
            }

            List<String> forms = kinds.stream().map(Large::form).toList();
            System.gc();
            long baseline = liveHeap();
            AtomicLong peak = new AtomicLong(baseline);
            AtomicLong slowestRead = new AtomicLong();
            AtomicLong reads = new AtomicLong();
            AtomicBoolean bursting = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(parallel + 2);
            try {
                Future<?> sampler = pool.submit(() -> {
                    while (bursting.get()) {
                        peak.accumulateAndGet(liveHeap(), Math::max);
                        sleep(5);
                    }
                });
                Future<?> reader = pool.submit(() -> {
                    while (bursting.get()) {
                        long started = System.nanoTime();
                        Api.Reply reply = call(() -> api.admin("GET", "/projects/" + project + "/jobs", null));
                        slowestRead.accumulateAndGet(System.nanoTime() - started, Math::max);
                        assertThat(reply.status()).isEqualTo(200);
                        reads.incrementAndGet();
                        sleep(20);
                    }
                });
                long started = System.nanoTime();
                List<Future<Api.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < parallel; i++) {
                    String form = forms.get(i % kinds.size());
                    replies.add(pool.submit(() -> api.admin("POST", "/projects/" + project + "/pipeline", form)));
                }
                for (int i = 0; i < parallel; i++) {
                    Api.Reply reply = replies.get(i).get(60, TimeUnit.SECONDS);
                    Large kind = kinds.get(i % kinds.size());
                    assertThat(reply.status()).as(kind.name() + ": " + reply).isEqualTo(400);
                    assertThat(reply.json()).as(kind.name()).isEqualTo(Api.JSON.valueToTree(
                            Map.of("message", Map.of("base", List.of(kind.error())))));
                }
                long burst = System.nanoTime() - started;
                bursting.set(false);
                sampler.get(10, TimeUnit.SECONDS);
                reader.get(30, TimeUnit.SECONDS);
                System.out.printf("large requests: %d at once refused in %d ms; %d reads meanwhile, slowest %d ms;"
                                + " live heap %d MiB before, %d MiB at the highest%n", parallel, burst / 1_000_000,
                        reads.get(), slowestRead.get() / 1_000_000, baseline >> 20, peak.get() >> 20);
                assertThat(slowestRead.get()).as("slowest read during the burst, ns")
                        .isLessThan(TimeUnit.SECONDS.toNanos(10));
                assertThat(peak.get() - baseline).as("live heap growth during the burst")
                        .isLessThan((64L << 20) + parallel * (16L << 20));
            } finally {
                bursting.set(false);
                pool.shutdownNow();
            }
            JsonNode pipelines = api.adminExpect("GET", "/projects/" + project + "/pipelines", null, 200);
            assertThat(pipelines).as("only the first, small pipeline was made").hasSize(1);
        }
    }

    /** The heap in use after each pool's latest collection: what the collector last found live. */
    private static long liveHeap() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    /** A configuration of {@code count} small jobs. */
    private static String jobs(int count) {
        StringBuilder config = new StringBuilder(count * 24);
        for (int i = 0; i < count; i++) {
            config.append("job_").append(i).append(": {script: [make]}\n");
        }
        return config.toString();
    }

    /** Nine levels of nine aliases: 9^9 elements once expanded, in a few hundred bytes of text. */
    private static String aliasBomb() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level <= 9; level++) {
            char name = (char) ('a' + level);
            char previous = (char) ('a' + level - 1);
            bomb.append(name).append(": &").append(name).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append(previous);
            }
            bomb.append("]\n");
        }
        // padded, so the request is as large as the others
        return bomb + "build: {script: [make]}\n# " + "x".repeat(1 << 20) + "\n";
    }

    private record Large(String name, String config, String error) {
        String form() {
            return "ref=main&sha=" + "b".repeat(40) + "&ci_config=" + Api.encode(config);
        }
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
