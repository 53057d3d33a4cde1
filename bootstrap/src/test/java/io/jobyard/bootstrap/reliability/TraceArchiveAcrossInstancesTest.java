package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.adapter.storage.fs.FilesystemArtifactStore;
import io.jobyard.adapter.storage.fs.FilesystemTraceStore;
import io.jobyard.application.memory.ForwardingTraceStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.service.trace.TraceArchiveSettings;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardBuilder;
import io.jobyard.bootstrap.JobyardServer;
import io.jobyard.domain.job.JobId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18, the archive queue on several instances: one instance (archiving off) takes the runners' requests, appends
 * and final {@code PUT}s, so the queue fills with ended jobs; two more instances on the same database and storage,
 * archiving on, drain it side by side. Every log is archived exactly once — copied from the live log once, across both
 * instances (the claims never hand one entry to both) — the queue ends empty, the live logs are gone, and every log
 * reads byte for byte what the runner sent. On PostgreSQL the claims skip each other's locked rows; on H2 they
 * compare-and-set the lease.
 */
class TraceArchiveAcrossInstancesTest {
    private static final String ADMIN_TOKEN = "trace-archive-admin-token-0123456789";
    private static final int PIPELINES = 8;
    private static final String CI_CONFIG = "a: {script: [x]}\nb: {script: [x]}\nc: {script: [x]}\nd: {script: [x]}\n";

    @TempDir
    Path dir;

    @Test
    void onPostgresTwoInstancesDrainOneQueueWithoutArchivingAnyLogTwice() throws Exception {
        try (QuietLogs quiet = new QuietLogs(); EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            drain(() -> DataSources.create(DataSources.Settings.of(url, "postgres", "postgres", 6)), false);
        }
    }

    @Test
    void onH2TwoInstancesDrainOneQueueWithoutArchivingAnyLogTwice() throws Exception {
        try (QuietLogs quiet = new QuietLogs();
             HikariDataSource shared = DataSources.create(DataSources.Settings.of(
                     DataSources.h2FileUrl(dir.resolve("h2")), "sa", "", 12))) {
            drain(() -> shared, true);
        }
    }

    private interface Pools {
        DataSource next();
    }

    private void drain(Pools pools, boolean shared) throws Exception {
        // One live log store for the three (the filesystem store locks per directory, one instance of it per JVM).
        FilesystemTraceStore traces = new FilesystemTraceStore(dir.resolve("traces"));
        Map<JobId, AtomicInteger> copies = new ConcurrentHashMap<>();
        List<Jobyard> instances = new ArrayList<>();
        JobyardServer server = null;
        try {
            TraceArchiveSettings archiving = TraceArchiveSettings.DEFAULTS.withPoll(Duration.ofMillis(50));
            Jobyard front = instance(pools.next(), shared, 0, new CountingCopies(traces, copies),
                    archiving.withThreads(0));
            instances.add(front);
            server = new JobyardServer("127.0.0.1", 0, front.httpHandler(), Duration.ofSeconds(5), front::ready)
                    .start();
            front.ensureFirstAdministrator(ADMIN_TOKEN);
            Api api = new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
            long project = api.createProject("acme", "drain");
            String runner = api.createRunner();
            Random random = new Random(18);
            Map<Long, byte[]> logs = new LinkedHashMap<>();
            for (int p = 1; p <= PIPELINES; p++) {
                api.createPipeline(project, CI_CONFIG, p);
                for (int j = 0; j < 4; j++) {
                    JsonNode taken = api.requestJob(runner).json();
                    long id = taken.get("id").asLong();
                    String token = taken.get("token").asText();
                    ByteArrayOutputStream sent = new ByteArrayOutputStream();
                    for (int piece = 0; piece < 3; piece++) {
                        byte[] bytes = Api.logBytes(random, 200 + random.nextInt(20_000));
                        assertThat(api.appendTrace(id, token, sent.size(), bytes).status()).isEqualTo(202);
                        sent.writeBytes(bytes);
                    }
                    assertThat(api.updateJob(id, token, "success").status()).isEqualTo(200);
                    logs.put(id, sent.toByteArray());
                }
            }
            assertThat(copies).as("the front instance archives nothing").isEmpty();

            // Two archiving instances start on the full queue and drain it side by side.
            Map<JobId, AtomicInteger> copiesByA = new ConcurrentHashMap<>();
            Map<JobId, AtomicInteger> copiesByB = new ConcurrentHashMap<>();
            instances.add(instance(pools.next(), shared, 1, new CountingCopies(traces, copiesByA),
                    archiving.withThreads(2)));
            instances.add(instance(pools.next(), shared, 2, new CountingCopies(traces, copiesByB),
                    archiving.withThreads(2)));

            for (Map.Entry<Long, byte[]> log : logs.entrySet()) {
                JobId job = JobId.of(log.getKey());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> traces.length(job) == 0);
                Api.Reply trace = api.admin("GET", "/projects/" + project + "/jobs/" + job.value() + "/trace", null);
                assertThat(trace.body()).as("archived log of job " + job).isEqualTo(log.getValue());
            }
            int byA = copiesByA.values().stream().mapToInt(AtomicInteger::get).sum();
            int byB = copiesByB.values().stream().mapToInt(AtomicInteger::get).sum();
            System.out.printf("trace archive across instances (%s): %d logs, %d copied by A, %d by B%n",
                    shared ? "H2" : "PostgreSQL", logs.size(), byA, byB);
            for (Long id : logs.keySet()) {
                JobId job = JobId.of(id);
                int copied = copiesByA.getOrDefault(job, new AtomicInteger()).get()
                        + copiesByB.getOrDefault(job, new AtomicInteger()).get();
                assertThat(copied).as("copies of the log of job " + id).isEqualTo(1);
            }
            assertThat(byA + byB).isEqualTo(logs.size());
        } finally {
            if (server != null) {
                server.close();
            }
            instances.forEach(Jobyard::close);
        }
    }

    private Jobyard instance(DataSource pool, boolean shared, int n, TraceStore traces,
                             TraceArchiveSettings archiving) {
        JobyardBuilder builder = Jobyard.builder()
                .artifactStore(new FilesystemArtifactStore(dir.resolve("artifacts"), Clock.systemUTC()))
                .filesystemStorage(dir.resolve("instance-" + n)).traceStore(traces).traceArchiving(archiving)
                // Instances sharing a database share the key its variables are sealed with.
                .encryptionKey(new byte[32]);
        return (pool instanceof HikariDataSource own && !shared ? builder.ownedDataSource(own, own)
                : builder.dataSource(pool)).build();
    }

    /** The live log store, counting the archiver's copies: reads of a whole log from its first byte. */
    private static final class CountingCopies extends ForwardingTraceStore {
        private final Map<JobId, AtomicInteger> copies;

        CountingCopies(TraceStore delegate, Map<JobId, AtomicInteger> copies) {
            super(delegate);
            this.copies = copies;
        }

        @Override
        public BlobContent read(JobId job, ByteRange range) {
            BlobContent content = super.read(job, range);
            if (range.offset() == 0 && content.length() == content.totalSize()
                    && Thread.currentThread().getName().startsWith("jobyard-trace-archiver")) {
                copies.computeIfAbsent(job, any -> new AtomicInteger()).incrementAndGet();
            }
            return content;
        }
    }
}
