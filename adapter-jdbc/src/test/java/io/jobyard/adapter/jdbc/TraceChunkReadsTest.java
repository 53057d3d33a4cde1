package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.domain.job.JobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live log's small reads ask the database for their bytes only, not for the 128 KiB chunk around them: every append
 * reads the few dozen bytes before its offset (where a split secret may begin), a live log follower the few new ones,
 * and the runners' fleet bench found PostgreSQL hex-encoding a whole chunk for each.
 */
class TraceChunkReadsTest {
    @TempDir
    Path h2Directory;

    @Test
    void onH2() throws IOException {
        assertReadsAskForTheirBytes(JdbcPersistence.migrateAndOpen(TestStores.h2DataSource(h2Directory)));
    }

    @Test
    void onPostgres() throws IOException {
        assertReadsAskForTheirBytes(JdbcPersistence.migrateAndOpen(TestStores.newPostgresDatabase(2)));
    }

    /** PostgreSQL would compress every chunk as it is (re)written: 8 ms per 128 KiB chunk in the fleet bench. */
    @Test
    void postgresStoresLiveChunksUncompressed() throws java.sql.SQLException {
        javax.sql.DataSource database = TestStores.newPostgresDatabase(2);
        JdbcPersistence.migrateAndOpen(database);
        try (java.sql.Connection connection = database.getConnection();
             java.sql.ResultSet storage = connection.createStatement().executeQuery("SELECT attstorage FROM "
                     + "pg_attribute WHERE attrelid = 'trace_chunks'::regclass AND attname = 'data'")) {
            assertThat(storage.next()).isTrue();
            assertThat(storage.getString(1)).isEqualTo("e"); // EXTERNAL: out of line, never compressed
        }
    }

    private static void assertReadsAskForTheirBytes(JdbcPersistence persistence) throws IOException {
        StatementCounter statements = new StatementCounter();
        persistence.withSqlLogger(statements);
        TraceStore traces = persistence.traces();
        JobId job = JobId.of(4242);
        byte[] log = new byte[JdbiTraceStore.CHUNK_SIZE + 70_000];
        new Random(7).nextBytes(log);
        traces.append(job, 0, new ByteArrayInputStream(log), Long.MAX_VALUE);

        statements.reset();
        assertThat(read(traces, job, log.length - 40, 40)).isEqualTo(Arrays.copyOfRange(log, log.length - 40,
                log.length));
        assertThat(chunkFetches(statements)).singleElement().satisfies(binding -> {
            assertThat(binding).contains("count:40");
        });

        statements.reset();
        int from = JdbiTraceStore.CHUNK_SIZE - 30;
        assertThat(read(traces, job, from, 100)).isEqualTo(Arrays.copyOfRange(log, from, from + 100));
        // one fetch per chunk the range touches, each for the range's part of it
        assertThat(chunkFetches(statements)).hasSize(2).anySatisfy(b -> assertThat(b).contains("count:30"))
                .anySatisfy(b -> assertThat(b).contains("count:70"));

        statements.reset();
        assertThat(read(traces, job, 0, log.length)).isEqualTo(log);
        assertThat(chunkFetches(statements)).hasSize(2);
    }

    private static byte[] read(TraceStore traces, JobId job, long from, int length) throws IOException {
        try (BlobContent content = traces.read(job, new ByteRange(from, length))) {
            return content.stream().readAllBytes();
        }
    }

    /** The bindings of the statements that read chunks. */
    private static List<String> chunkFetches(StatementCounter statements) {
        List<String> sql = statements.statements();
        List<String> bindings = statements.bindings();
        return java.util.stream.IntStream.range(0, sql.size())
                .filter(i -> sql.get(i).contains("FROM trace_chunks")).mapToObj(bindings::get).toList();
    }
}
