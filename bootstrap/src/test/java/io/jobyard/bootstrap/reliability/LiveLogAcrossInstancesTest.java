package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.adapter.storage.fs.FilesystemArtifactStore;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.live.FollowEnd;
import io.jobyard.application.port.in.live.LiveLogEvent;
import io.jobyard.application.port.in.live.LiveLogSink;
import io.jobyard.application.service.live.LiveLogSettings;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardBuilder;
import io.jobyard.bootstrap.JobyardServer;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.project.ProjectId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16, live logs across instances: two Jobyard instances share one database and one storage; a follower on
 * instance A follows a job whose runner sends its log through instance B, then finishes it through B (which archives
 * the log). The follower must get every byte once, byte for byte, then the end.
 *
 * <p>On PostgreSQL the poll is switched off (one hour), so only {@code LISTEN/NOTIFY} can carry the appends; the
 * requirement is that they arrive within a second. On H2, which has no notifications between processes (here two
 * instances in one JVM share one H2 database), the followers find other instances' appends by polling the log lengths
 * every 500 ms. A second follower on instance A follows over HTTP (server-sent events, as a browser does) and must
 * see the same bytes and the end. Both runs print what they measured (the in-process follower's latency and the HTTP
 * follower's, which is an upper bound: it is measured after the other's); the assertions leave room for a loaded build
 * machine.
 */
class LiveLogAcrossInstancesTest {
    private static final String ADMIN_TOKEN = "live-log-admin-token-0123456789";
    private static final int APPENDS = 40;
    /** Two latencies per append: the in-process follower's and the HTTP follower's. */

    @TempDir
    Path dir;

    @Test
    void onPostgresAFollowerOnOneInstanceGetsAppendsMadeThroughTheOtherWithinASecondByNotification()
            throws Exception {
        try (QuietLogs quiet = new QuietLogs(); EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            List<Long> latencies = followAcross(
                    () -> DataSources.create(DataSources.Settings.of(url, "postgres", "postgres", 6)),
                    LiveLogSettings.DEFAULTS.withPollInterval(Duration.ofHours(1)), false);
            report("PostgreSQL, LISTEN/NOTIFY, no poll", latencies);
            // The requirement: within a second. Notifications take milliseconds; the room is for a loaded machine.
            assertThat(percentile(latencies, 95)).isLessThan(Duration.ofSeconds(1).toNanos());
        }
    }

    @Test
    void onH2AFollowerOnOneInstanceGetsAppendsMadeThroughTheOtherByPollingTheLogLength() throws Exception {
        try (QuietLogs quiet = new QuietLogs();
             HikariDataSource shared = DataSources.create(DataSources.Settings.of(
                     DataSources.h2FileUrl(dir.resolve("h2")), "sa", "", 10))) {
            List<Long> latencies = followAcross(() -> shared, LiveLogSettings.DEFAULTS, true);
            report("H2, polling every 500 ms", latencies);
            assertThat(latencies).hasSize(2 * APPENDS);
        }
    }

    private interface Pools {
        DataSource next();
    }

    /** Runs the scenario; answers the append-to-delivery latencies in nanoseconds (from the append's answer). */
    private List<Long> followAcross(Pools pools, LiveLogSettings liveLog, boolean ownsNothing) throws Exception {
        List<Jobyard> instances = new ArrayList<>();
        List<JobyardServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                DataSource pool = pools.next();
                JobyardBuilder builder = Jobyard.builder()
                        .artifactStore(new FilesystemArtifactStore(dir.resolve("artifacts"), Clock.systemUTC()))
                        .filesystemStorage(dir.resolve("instance-" + i)).liveLog(liveLog)
                        // Instances sharing a database share the key its variables are sealed with.
                        .encryptionKey(new byte[32]);
                // Each PostgreSQL instance owns its pool; the two H2 instances share the one the test closes.
                Jobyard jobyard = (pool instanceof HikariDataSource own && !ownsNothing
                        ? builder.ownedDataSource(own, own) : builder.dataSource(pool)).build();
                instances.add(jobyard);
                servers.add(new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(5),
                        jobyard::ready).start());
            }
            Jobyard a = instances.get(0);
            a.ensureFirstAdministrator(ADMIN_TOKEN);
            Api viaA = new Api("http://127.0.0.1:" + servers.get(0).port(), ADMIN_TOKEN);
            Api viaB = new Api("http://127.0.0.1:" + servers.get(1).port(), ADMIN_TOKEN);
            long project = viaA.createProject("acme", "live");
            String runner = viaB.createRunner();
            viaA.createPipeline(project, "build: {script: [make]}", 1);
            JsonNode taken = viaB.requestJob(runner).json();
            long job = taken.get("id").asLong();
            String jobToken = taken.get("token").asText();

            TimedSink sink = new TimedSink();
            Actor admin = a.useCases().authenticate().byAccessToken(ADMIN_TOKEN);
            a.useCases().followTrace().follow(admin, ProjectRef.of(ProjectId.of(project)), JobId.of(job), 0, sink);
            await().atMost(Duration.ofSeconds(10)).until(() -> !sink.events.isEmpty());
            // The same follow over HTTP, as a browser's EventSource makes it: server-sent events from instance A.
            SseClient http = SseClient.open(viaA.base(), "/api/v4/projects/" + project + "/jobs/" + job + "/trace",
                    java.util.Map.of("PRIVATE-TOKEN", ADMIN_TOKEN), true);
            assertThat(http.status).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !http.events.isEmpty());

            Random random = new Random(16);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < APPENDS; i++) {
                byte[] part = ("step " + i + " \u001b[32mok\u001b[0m ").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                byte[] withRaw = Arrays.copyOf(part, part.length + 3);
                withRaw[part.length] = (byte) (0x80 + random.nextInt(64)); // invalid UTF-8 on purpose
                withRaw[part.length + 1] = (byte) 0xFF;
                withRaw[part.length + 2] = '\n';
                Api.Reply appended = viaB.appendTrace(job, jobToken, sent.size(), withRaw);
                long answered = System.nanoTime();
                assertThat(appended.status()).isEqualTo(202);
                sent.writeBytes(withRaw);
                long length = sent.size();
                await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                        .until(() -> sink.reached(length) != 0);
                latencies.add(Math.max(0, sink.reached(length) - answered));
                await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                        .until(() -> http.logBytes().length >= length);
                latencies.add(Math.max(0, System.nanoTime() - answered));
            }
            assertThat(viaB.updateJob(job, jobToken, "success").status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(30)).until(() -> sink.closed != null);
            assertThat(sink.closed).isEqualTo(FollowEnd.COMPLETE);
            assertThat(sink.bytes()).isEqualTo(sent.toByteArray());
            Api.Reply trace = viaA.admin("GET", "/projects/" + project + "/jobs/" + job + "/trace", null);
            assertThat(trace.body()).isEqualTo(sent.toByteArray());
            assertThat(sink.events.get(sink.events.size() - 1))
                    .isEqualTo(new LiveLogEvent.End(io.jobyard.domain.job.JobStatus.SUCCESS, sent.size()));
            assertThat(sink.violations).isEmpty();
            http.awaitEnded(Duration.ofSeconds(30));
            assertThat(http.logBytes()).isEqualTo(sent.toByteArray());
            assertThat(http.named("end")).extracting(SseClient.Event::id)
                    .containsExactly(Long.toString(sent.size()));
            http.close();
            return latencies;
        } finally {
            servers.forEach(JobyardServer::close);
            instances.forEach(Jobyard::close);
        }
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static void report(String what, List<Long> latencies) {
        System.out.printf("live log across instances (%s): %d appends, append answered -> delivered on the other "
                        + "instance (in process and over HTTP) p50 %.1f ms, p95 %.1f ms, max %.1f ms%n", what, latencies.size() / 2,
                percentile(latencies, 50) / 1e6, percentile(latencies, 95) / 1e6, percentile(latencies, 100) / 1e6);
    }

    /** A follower that notes when each offset arrived and checks the parts are contiguous. */
    static final class TimedSink implements LiveLogSink {
        final List<LiveLogEvent> events = new CopyOnWriteArrayList<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final List<long[]> arrivals = new CopyOnWriteArrayList<>();
        volatile FollowEnd closed;

        @Override
        public synchronized long offer(LiveLogEvent event) {
            events.add(event);
            if (event instanceof LiveLogEvent.Bytes part) {
                if (part.start() != bytes.size()) {
                    violations.add("part at " + part.start() + " after " + bytes.size() + " bytes");
                }
                bytes.writeBytes(part.data());
                arrivals.add(new long[] {part.end(), System.nanoTime()});
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

        /** When the log had arrived up to {@code length}; 0 when not yet. */
        long reached(long length) {
            for (long[] arrival : arrivals) {
                if (arrival[0] >= length) {
                    return arrival[1];
                }
            }
            return 0;
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
