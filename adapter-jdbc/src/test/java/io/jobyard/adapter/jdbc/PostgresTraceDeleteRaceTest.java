package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.domain.job.JobId;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A live log removed (archived or erased) on PostgreSQL while an append to it is in progress. The delete used to lock
 * the chunks and then the length row, the append the length row and then a chunk: the database found a deadlock and
 * aborted one of them — an erase then left the erased job's log in place. The delete now waits for the append, then
 * removes everything, the append's bytes too.
 */
class PostgresTraceDeleteRaceTest {
    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Test
    void aDeleteWaitsForAnAppendInProgressThenRemovesTheWholeLog() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (HikariDataSource pool = TestStores.newPostgresDatabase(4)) {
            TraceStore traces = JdbcPersistence.migrateAndOpen(pool, TestStores.CIPHER).traces();
            JobId job = JobId.of(42);
            traces.append(job, 0, bytes("first\n"), NO_LIMIT); // chunk 0 exists: the next append rewrites it
            CountDownLatch appending = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            InputStream stalling = new ByteArrayInputStream("second\n".getBytes(StandardCharsets.UTF_8)) {
                @Override
                public synchronized int read(byte[] target, int offset, int length) {
                    // The append has locked the length row and read chunk 0; it writes once the body has come.
                    appending.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(new InterruptedIOException());
                    }
                    return super.read(target, offset, length);
                }
            };

            Future<Long> append = threads.submit(() -> traces.append(job, 6, stalling, NO_LIMIT));
            assertThat(appending.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> delete = threads.submit(() -> traces.delete(job));
            await().atMost(Duration.ofSeconds(30)).until(() -> sessionsWaitingForALock(pool) == 1);
            release.countDown();

            assertThat(append.get(30, TimeUnit.SECONDS)).isEqualTo(13);
            delete.get(30, TimeUnit.SECONDS);
            assertThat(traces.length(job)).isZero();
            assertThat(chunkRows(pool, job)).as("chunks left without a length").isZero();
            assertThat(traces.append(job, 0, bytes("again\n"), NO_LIMIT)).isEqualTo(6);
            try (BlobContent log = traces.read(job, ByteRange.ALL)) {
                assertThat(new String(log.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("again\n");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static long sessionsWaitingForALock(HikariDataSource pool) throws SQLException {
        return count(pool, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND wait_event_type = 'Lock'");
    }

    private static long chunkRows(HikariDataSource pool, JobId job) throws SQLException {
        return count(pool, "SELECT COUNT(*) FROM trace_chunks WHERE job_id = " + job.value());
    }

    private static long count(HikariDataSource pool, String sql) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
