package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.domain.error.UnavailableException;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database that goes away, or a pool with no connection to spare: every repository call fails as {@link UnavailableException} (the HTTP layer answers 503)
 * instead of hanging or leaking driver exceptions, and the same pool serves again once PostgreSQL is back on its data
 * directory and port.
 */
class DatabaseOutageTest {

    @TempDir
    Path directory;

    @Test
    void callsFailAsUnavailableWhilePostgresIsDownAndRecoverWhenItReturns() throws Exception {
        Path data = directory.resolve("pgdata");
        EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .start();
        int port = server.getPort();
        DataSources.Settings settings = DataSources.Settings.of(server.getJdbcUrl("postgres", "postgres"), "postgres",
                "postgres", 3).withConnectionTimeout(Duration.ofMillis(500));
        try (HikariDataSource pool = DataSources.create(settings)) {
            JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(pool);
            Project project = persistence.projects().insert(new Project(persistence.projects().nextId(), "Kept",
                    "kept", "group", Visibility.PUBLIC, true, false, Instant.parse("2024-05-01T10:00:00Z")));

            server.close();

            long started = System.nanoTime();
            assertThatThrownBy(() -> persistence.projects().findById(project.id()))
                    .isInstanceOf(UnavailableException.class);
            assertThatThrownBy(() -> persistence.transactor().inTransaction(() ->
                    persistence.jobs().findById(JobId.of(1))))
                    .isInstanceOf(UnavailableException.class);
            assertThatThrownBy(() -> persistence.traces().append(JobId.of(1), 0,
                    new ByteArrayInputStream(new byte[] {1}), 10))
                    .isInstanceOf(UnavailableException.class);
            assertThatThrownBy(() -> persistence.projects().nextId()).isInstanceOf(UnavailableException.class);
            System.out.printf("four calls against a stopped database failed in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());

            try (EmbeddedPostgres restarted = EmbeddedPostgres.builder().setDataDirectory(data)
                    .setCleanDataDirectory(false).setPort(port).start()) {
                Optional<Project> found = eventually(() -> persistence.projects().findById(project.id()));
                assertThat(found).contains(project);
                assertThat(persistence.projects().nextId()).isGreaterThan(ProjectId.of(1));
            }
        }
    }

    @Test
    void anExhaustedPoolIsUnavailableNotAHang() throws Exception {
        int poolSize = 2;
        DataSources.Settings settings = DataSources.Settings.of(DataSources.h2FileUrl(directory.resolve("h2")), "sa",
                "", poolSize);
        try (HikariDataSource pool = DataSources.create(settings)) {
            JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(pool);
            // creating the database file took its time; from now on a request waits briefly for a connection
            pool.setConnectionTimeout(300);
            CountDownLatch holding = new CountDownLatch(poolSize);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> holders = new ArrayList<>();
            for (int i = 0; i < poolSize; i++) {
                Thread holder = new Thread(() -> persistence.transactor().run(() -> {
                    persistence.jobs().findById(JobId.of(1));
                    holding.countDown();
                    awaitQuietly(release);
                }));
                holder.start();
                holders.add(holder);
            }
            holding.await();
            try {
                assertThatThrownBy(() -> persistence.projects().findById(ProjectId.of(1)))
                        .isInstanceOf(UnavailableException.class);
            } finally {
                release.countDown();
                for (Thread holder : holders) {
                    holder.join();
                }
            }
            assertThat(persistence.projects().findById(ProjectId.of(1))).isEmpty();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first calls after a restart may still meet connections the pool has not yet found dead. */
    private static <T> T eventually(Supplier<T> call) {
        UnavailableException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                return call.get();
            } catch (UnavailableException e) {
                last = e;
            }
        }
        throw last;
    }
}
