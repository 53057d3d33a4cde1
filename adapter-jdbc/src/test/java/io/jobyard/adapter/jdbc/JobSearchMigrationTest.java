package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.ProjectId;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs stored before V40 and V41 get what those add: their sort values, their pipeline's source and their tags, equal
 * to what the adapter writes for a new job. The rows are written with plain SQL into the schema of V7.
 */
class JobSearchMigrationTest {
    @TempDir
    Path directory;

    @Test
    void onH2() throws Exception {
        try (HikariDataSource pool = TestStores.h2DataSource(directory)) {
            migratedFromV7(pool, Dialect.H2);
        }
    }

    @Test
    void onPostgres() throws Exception {
        try (HikariDataSource pool = TestStores.newPostgresDatabase(2)) {
            migratedFromV7(pool, Dialect.POSTGRESQL);
        }
    }

    private static void migratedFromV7(DataSource pool, Dialect dialect) throws SQLException {
        Flyway.configure().dataSource(pool).locations("classpath:" + BundledMigrations.LOCATION)
                .placeholders(Map.of("path_collation", dialect.pathCollation())).target("7").load().migrate();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO pipelines (id, iid, project_id, ref, tag, sha, commit_title, commit_message,"
                    + " parent_ids, source, status, stages, variables, created_at, updated_at, lock_version)"
                    + " VALUES (7, 1, 3, 'main', FALSE, 'abc', '', '', '[]', 'schedule', 1, '[\"test\"]', '[]',"
                    + " TIMESTAMP WITH TIME ZONE '2024-05-01 10:00:00+00', TIMESTAMP WITH TIME ZONE"
                    + " '2024-05-01 10:00:00+00', 0)");
            String columns = "INSERT INTO jobs (id, project_id, pipeline_id, name, stage, stage_idx, when_condition,"
                    + " allow_failure, dag, needs, tags, variables, retry_max, retry_when, debug_trace, services,"
                    + " before_script, script, after_script, status, ref, tag, created_at, updated_at, started_at,"
                    + " finished_at, retried, auto_retries, degenerated, lock_version) VALUES ";
            String common = ", 3, 7, 'rspec', 'test', 1, 'on_success', FALSE, FALSE, '[]', ";
            statement.execute(columns + "(11" + common + "'[\"docker\",\"linux\",\"docker\"]', '[]', 0, '[]', FALSE,"
                    + " '[]', '[]', '[\"make\"]', '[]', 1, 'main', FALSE,"
                    + " TIMESTAMP WITH TIME ZONE '2024-05-01 10:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2024-05-01 12:00:02.25+02',"
                    + " TIMESTAMP WITH TIME ZONE '2024-05-01 10:00:01.123456+00',"
                    + " TIMESTAMP WITH TIME ZONE '2024-05-01 12:00:02.25+02', FALSE, 0, FALSE, 0)");
            statement.execute(columns + "(12" + common + "'[]', '[]', 0, '[]', FALSE, '[]', '[]', '[\"make\"]', '[]',"
                    + " 2, 'main', FALSE, TIMESTAMP WITH TIME ZONE '2024-05-01 10:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2024-05-01 10:00:00+00', NULL, NULL, FALSE, 0, FALSE, 0)");
        }

        JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(pool);

        Job finished = persistence.jobs().findById(io.jobyard.domain.job.JobId.of(11)).orElseThrow();
        Job pending = persistence.jobs().findById(io.jobyard.domain.job.JobId.of(12)).orElseThrow();
        Map<String, Object> row = persistence.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT finished_order, duration_order, finished_order_desc, duration_order_desc, pipeline_source"
                        + " FROM jobs WHERE id = 11").mapToMap().one());
        assertThat(((Number) row.get("finished_order")).longValue()).isEqualTo(JobOrder.finishedKey(finished, true))
                .isEqualTo(((Number) row.get("finished_order_desc")).longValue());
        assertThat(((Number) row.get("duration_order")).longValue()).isEqualTo(JobOrder.durationKey(finished, true))
                .isEqualTo(((Number) row.get("duration_order_desc")).longValue()).isEqualTo(1_126_544L);
        assertThat(row.get("pipeline_source")).isEqualTo("schedule");
        Map<String, Object> unfinished = persistence.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT finished_order, duration_order, finished_order_desc, duration_order_desc FROM jobs"
                        + " WHERE id = 12").mapToMap().one());
        assertThat(((Number) unfinished.get("finished_order")).longValue()).isEqualTo(JobOrder.NONE_ASCENDING)
                .isEqualTo(JobOrder.finishedKey(pending, true));
        assertThat(((Number) unfinished.get("duration_order")).longValue()).isEqualTo(JobOrder.durationKey(pending, true));
        assertThat(((Number) unfinished.get("finished_order_desc")).longValue()).isEqualTo(JobOrder.NONE_DESCENDING);
        assertThat(((Number) unfinished.get("duration_order_desc")).longValue()).isEqualTo(JobOrder.NONE_DESCENDING);

        ProjectId project = ProjectId.of(3);
        assertThat(persistence.jobs().search(project, JobFilter.builder().tag("linux").build(),
                JobOrdering.NEWEST_FIRST, null, 0, 10)).containsExactly(finished);
        assertThat(persistence.jobs().count(project, JobFilter.builder().tag("docker").build())).isEqualTo(1);
        assertThat(persistence.jobs().search(project, JobFilter.builder().source(PipelineSource.SCHEDULE).build(),
                new JobOrdering(JobOrder.FINISHED_AT, true), null, 0, 10)).containsExactly(finished, pending);
        assertThat(BundledMigrations.alreadyApplied(pool)).isTrue();
        assertThat(List.of(finished.id().value(), pending.id().value())).containsExactly(11L, 12L);
    }
}
