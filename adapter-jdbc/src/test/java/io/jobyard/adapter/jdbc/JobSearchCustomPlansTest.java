package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.Test;
import org.postgresql.PGStatement;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL the job search's statements are never prepared on the server: pgjdbc would do so from a statement's
 * fifth use, and PostgreSQL may then plan it once for any values (a generic plan), which cannot see how narrow a keyset
 * bound is and reads every row of a common filter value and sorts them instead of walking the order's index (measured:
 * 0.2 ms became 40 ms a page at 100,000 jobs). Each statement the search runs, after many runs, still has pgjdbc's
 * prepare threshold at 0 (planned with its values every time).
 */
class JobSearchCustomPlansTest {
    @Test
    void searchStatementsArePlannedForTheirValuesEveryTime() {
        try (HikariDataSource pool = TestStores.newPostgresDatabase(2)) {
            JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(pool);
            JobSearchFixture.Loaded loaded = JobSearchFixture.load(persistence, 6_000, jobs -> { });
            List<String> seen = new ArrayList<>();
            Set<Integer> thresholds = new TreeSet<>();
            persistence.jdbi().getConfig(org.jdbi.v3.core.statement.SqlStatements.class)
                    .addCustomizer(new StatementCustomizer() {
                        @Override
                        public void afterExecution(PreparedStatement statement, StatementContext context)
                                throws SQLException {
                            String sql = context.getRenderedSql();
                            if (sql.contains("jobs j")) {
                                seen.add(sql);
                                thresholds.add(statement.unwrap(PGStatement.class).getPrepareThreshold());
                            }
                        }
                    });
            JdbiJobRepository jobs = (JdbiJobRepository) persistence.jobs();
            for (int run = 0; run < 8; run++) {
                for (JobOrdering ordering : List.of(new JobOrdering(JobOrder.CREATED_AT, false),
                        new JobOrdering(JobOrder.FINISHED_AT, true))) {
                    jobs.withCaps(20, 50).search(loaded.project().id(), JobFilter.builder().ref("main").build(),
                            ordering, null, 0, 21);
                    jobs.count(loaded.project().id(), JobFilter.builder().ref("main").build());
                }
            }
            assertThat(seen).as("the probe, the boundary, the page and the count, every run").hasSizeGreaterThan(40);
            assertThat(thresholds).containsExactly(0);
        }
    }
}
