package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.port.out.SecretCipher;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The job and pipeline rows read their columns by the statement's known positions: no lookup by label per row or per
 * result set (a lookup by label costs H2 a map of every column's upper-cased label per result set), the statement's
 * metadata read once per SQL text, and the rows exactly what the repositories return.
 */
class ResultColumnsTest {
    @TempDir
    Path h2Directory;

    @Test
    void pagesOfJobsAndPipelinesReadByPositionAndTheMetadataOncePerStatement() throws Exception {
        try (HikariDataSource dataSource = TestStores.h2DataSource(h2Directory)) {
            JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(dataSource);
            var project = JobPageStatementsTest.seedHundredJobs(persistence);
            JobRows jobRows = new JobRows(new VariableColumns(SecretCipher.PLAINTEXT));
            PipelineRows pipelineRows = new PipelineRows(new VariableColumns(SecretCipher.PLAINTEXT));
            String jobsSql = "SELECT " + JobRows.COLUMNS + " FROM jobs ORDER BY id /* ResultColumnsTest */";

            Counted first = mapAll(dataSource, jobsSql, jobRows::map);
            Counted second = mapAll(dataSource, jobsSql, jobRows::map);
            assertThat(first.rows()).hasSize(100).isEqualTo(second.rows());
            assertThat(first.metadataReads()).as("the statement's columns, learned once").isEqualTo(1);
            assertThat(second.metadataReads()).isZero();
            assertThat(first.lookups() + second.lookups() + first.byLabel() + second.byLabel())
                    .as("lookups by label").isZero();
            List<Job> expected = new ArrayList<>(persistence.jobs().listForProject(project.id(), Set.of(), 0, 200));
            expected.sort(Comparator.comparing(job -> job.id().value()));
            assertThat(first.rows()).isEqualTo(expected);

            Counted pipelines = mapAll(dataSource, "SELECT " + PipelineRows.COLUMNS + " FROM pipelines ORDER BY id",
                    pipelineRows::map);
            assertThat(pipelines.rows()).isNotEmpty().allSatisfy(pipeline -> assertThat(persistence.pipelines()
                    .findById(((Pipeline) pipeline).id())).contains((Pipeline) pipeline));
            assertThat(pipelines.lookups() + pipelines.byLabel()).isZero();
        }
    }

    @Test
    void aLabelTheStatementLacksIsRefusedByTheDriverAndTheOthersStillRead() throws Exception {
        try (HikariDataSource dataSource = TestStores.h2DataSource(h2Directory);
             Connection connection = dataSource.getConnection();
             ResultSet rs = connection.createStatement().executeQuery("SELECT 7 AS id, 'x' AS name")) {
            ResultColumns columns = ResultColumns.of(rs, "SELECT 7 AS id, 'x' AS name");
            assertThat(rs.next()).isTrue();
            assertThat(columns.longValue("id")).isEqualTo(7);
            assertThat(columns.string("name")).isEqualTo("x");
            assertThatThrownBy(() -> columns.string("stage")).isInstanceOf(SQLException.class);
        }
    }

    private interface RowReader {
        Object read(ResultColumns columns) throws SQLException;
    }

    private record Counted(List<Object> rows, int lookups, int byLabel, int metadataReads) {
    }

    /** Maps every row as the specialized mappers do, counting the result set's lookups and metadata reads. */
    private static Counted mapAll(HikariDataSource dataSource, String sql, RowReader reader) throws SQLException {
        AtomicInteger lookups = new AtomicInteger();
        AtomicInteger byLabel = new AtomicInteger();
        AtomicInteger metadata = new AtomicInteger();
        try (Connection connection = dataSource.getConnection();
             ResultSet real = connection.createStatement().executeQuery(sql)) {
            ResultSet counted = (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(),
                    new Class<?>[]{ResultSet.class}, (proxy, method, args) -> {
                        if (method.getName().equals("findColumn")) {
                            lookups.incrementAndGet();
                        } else if (method.getName().equals("getMetaData")) {
                            metadata.incrementAndGet();
                        } else if (method.getName().startsWith("get") && args != null && args.length > 0
                                && args[0] instanceof String) {
                            byLabel.incrementAndGet();
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            ResultColumns columns = ResultColumns.of(counted, sql);
            List<Object> rows = new ArrayList<>();
            while (counted.next()) {
                rows.add(reader.read(columns));
            }
            return new Counted(rows, lookups.get(), byLabel.get(), metadata.get());
        }
    }
}
