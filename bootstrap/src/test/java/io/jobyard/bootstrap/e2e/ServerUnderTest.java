package io.jobyard.bootstrap.e2e;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.service.MutableClock;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardBuilder;
import io.jobyard.bootstrap.JobyardServer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real Jobyard server for end-to-end tests: H2 file database and filesystem storage in {@code dir}, HTTP on a free
 * port, and a clock the test moves by hand (the standalone server reads the system clock, so it is wired here the way
 * a host embeds Jobyard). No background sweeps: a test runs {@link #sweepOnce()} when its clock says so. The
 * administrator token comes from the first-administrator path an empty installation takes.
 */
final class ServerUnderTest implements AutoCloseable {
    /** A fixed start, so durations and schedules read the same on every run. */
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final Jobyard jobyard;
    private final JobyardServer server;
    private final String adminToken;
    private final HttpApi api;

    ServerUnderTest(Path dir) {
        this(dir, null);
    }

    /** @param artifacts the artifact store, or null for filesystem storage in {@code dir} */
    ServerUnderTest(Path dir, ArtifactStore artifacts) {
        HikariDataSource pool = DataSources.create(DataSources.Settings.of(
                DataSources.h2FileUrl(dir.resolve("db")), "sa", "", 10));
        JobyardBuilder builder = Jobyard.builder()
                .ownedDataSource(pool, pool)
                .filesystemStorage(dir.resolve("storage"))
                .externalUrl(URI.create("http://jobyard.test"))
                .clock(clock);
        if (artifacts != null) {
            builder.artifactStore(artifacts);
        }
        jobyard = builder.build();
        adminToken = jobyard.ensureFirstAdministrator(null)
                .orElseThrow(() -> new IllegalStateException("a fresh installation creates its administrator"));
        server = new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(5), jobyard::ready)
                .start();
        api = new HttpApi(URI.create("http://127.0.0.1:" + server.port() + "/api/v4"));
    }

    HttpApi api() {
        return api;
    }

    String adminToken() {
        return adminToken;
    }

    MutableClock clock() {
        return clock;
    }

    /** One pass of the sweepers (artifact expiry, stuck jobs, delayed jobs) at the clock's current time. */
    void sweepOnce() {
        jobyard.sweepOnce();
    }

    @Override
    public void close() {
        server.close();
        jobyard.close();
    }
}
