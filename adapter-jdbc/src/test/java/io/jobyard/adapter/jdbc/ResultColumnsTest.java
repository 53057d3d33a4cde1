package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.port.out.SecretCipher;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.pipeline.Pipeline;
import org.jdbi.v3.core.mapper.RowMapper;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job and pipeline row mappers look each column up once per result set, not once per row (a lookup by label
 * costs H2 an upper-cased copy and a hash per call), and map exactly what the repositories return.
 */
class ResultColumnsTest {
    @TempDir
    Path h2Directory;

    @Test
    void aPageOfJobsAndPipelinesLooksEachColumnUpOnce() throws Exception {
        try (HikariDataSource dataSource = TestStores.h2DataSource(h2Directory)) {
            JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(dataSource);
            var project = JobPageStatementsTest.seedHundredJobs(persistence);
            VariableColumns variables = new VariableColumns(SecretCipher.PLAINTEXT);

            Counted jobs = mapAll(dataSource, "SELECT " + JobRows.COLUMNS + " FROM jobs ORDER BY id",
                    new JobRows(variables));
            assertThat(jobs.rows()).hasSize(100);
            assertThat(jobs.byLabel()).as("getters by label").isZero();
            // the columns the mapper reads (all but the four order keys), each once for the 100 rows
            assertThat(jobs.lookups()).isEqualTo(JobRows.COLUMNS.split(", ").length - 4);
            List<Job> expected = new ArrayList<>(persistence.jobs().listForProject(project.id(), java.util.Set.of(), 0, 200));
            expected.sort(Comparator.comparing(job -> job.id().value()));
            assertThat(jobs.rows()).isEqualTo(expected);

            Counted pipelines = mapAll(dataSource, "SELECT * FROM pipelines ORDER BY id", new PipelineRows(variables));
            assertThat(pipelines.rows()).isNotEmpty();
            assertThat(pipelines.byLabel()).isZero();
            assertThat(pipelines.rows()).allSatisfy(pipeline -> assertThat(persistence.pipelines()
                    .findById(((Pipeline) pipeline).id())).contains((Pipeline) pipeline));
            assertThat(pipelines.lookups()).isLessThan(40);
        }
    }

    private record Counted(List<Object> rows, int lookups, int byLabel) {
    }

    /** Maps every row the way JDBI does (specialized once per result set), counting the result set's lookups. */
    private static <T> Counted mapAll(HikariDataSource dataSource, String sql, RowMapper<T> mapper)
            throws SQLException {
        AtomicInteger lookups = new AtomicInteger();
        AtomicInteger byLabel = new AtomicInteger();
        try (Connection connection = dataSource.getConnection();
             ResultSet real = connection.createStatement().executeQuery(sql)) {
            ResultSet counted = (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(),
                    new Class<?>[]{ResultSet.class}, (proxy, method, args) -> {
                        if (method.getName().equals("findColumn")) {
                            lookups.incrementAndGet();
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
            RowMapper<T> specialized = mapper.specialize(counted, null);
            List<Object> rows = new ArrayList<>();
            while (counted.next()) {
                rows.add(specialized.map(counted, null));
            }
            return new Counted(rows, lookups.get(), byLabel.get());
        }
    }
}
