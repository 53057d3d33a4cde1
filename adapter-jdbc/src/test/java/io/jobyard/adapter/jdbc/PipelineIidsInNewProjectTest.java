package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first pipelines of a project created at once, each in its own transaction (as pipeline creation runs): each gets
 * its own iid. On PostgreSQL this once failed with 409s, the counter's first insert aborting the callers' transactions.
 */
class PipelineIidsInNewProjectTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final int THREADS = 8;
    private static final int EACH = 5;

    @TempDir
    Path directory;

    @Test
    void onH2() throws Exception {
        try (HikariDataSource pool = TestStores.h2DataSource(directory)) {
            assertDistinctIids(JdbcPersistence.migrateAndOpen(pool));
        }
    }

    @Test
    void onPostgres() throws Exception {
        try (HikariDataSource pool = TestStores.newPostgresDatabase(THREADS)) {
            assertDistinctIids(JdbcPersistence.migrateAndOpen(pool));
        }
    }

    private static void assertDistinctIids(JdbcPersistence persistence) throws Exception {
        Project fresh = persistence.projects().insert(new Project(persistence.projects().nextId(), "Fresh", "fresh",
                "group", Visibility.PRIVATE, false, false, T0));
        Map<Long, Integer> iids = new ConcurrentHashMap<>();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                done.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < EACH; i++) {
                        Pipeline created = persistence.transactor().inTransaction(() -> persistence.pipelines()
                                .insert(new Pipeline(persistence.pipelines().nextId(),
                                        persistence.pipelines().nextIid(fresh.id()), fresh.id(), "main", false,
                                        Commit.ofSha("b".repeat(40), OffsetDateTime.of(2024, 5, 1, 9, 0, 0, 0,
                                                ZoneOffset.UTC)), PipelineSource.PUSH, JobStatus.CREATED,
                                        List.of("test"), List.of(), null, T0, T0, null, null, 0)));
                        iids.merge(created.iid(), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(iids).hasSize(THREADS * EACH);
        assertThat(iids.values()).containsOnly(1);
        assertThat(iids.keySet()).allSatisfy(iid -> assertThat(iid).isBetween(1L, (long) THREADS * EACH));
    }
}
