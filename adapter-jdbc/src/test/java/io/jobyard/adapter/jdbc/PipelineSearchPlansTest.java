package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.port.out.PipelineRepository.Order;
import io.jobyard.application.port.out.PipelineRepository.PipelineQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keyset pages of the pipeline list on H2: H2 reads an index in order only when the ORDER BY is the index's
 * columns in the index's directions or all of them reversed, so the constant {@code project_id} is written in the
 * direction that makes {@code pipelines_project_id_idx (project_id, id DESC)} and
 * {@code pipelines_project_updated_idx (project_id, updated_at, id)} read sorted in both directions. Without it H2
 * reads every pipeline of the project and sorts them for each page.
 */
class PipelineSearchPlansTest {
    @TempDir
    Path directory;

    @Test
    void h2WalksTheIndexesInBothDirections() throws Exception {
        try (HikariDataSource pool = TestStores.h2DataSource(directory)) {
            JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(pool);
            JobSearchFixture.Loaded loaded = JobSearchFixture.load(persistence, 4_000, jobs -> { });
            persistence.jdbi().useHandle(handle -> handle.execute("ANALYZE"));
            JdbiPipelineRepository pipelines = (JdbiPipelineRepository) persistence.pipelines();
            List<String> sorted = new ArrayList<>();
            int explained = 0;
            for (Order order : List.of(Order.ID, Order.UPDATED_AT)) {
                for (boolean ascending : List.of(true, false)) {
                    PipelineQuery query = new PipelineQuery(null, null, null, null, false, null, null, null, null,
                            null, null, order, ascending);
                    for (boolean positioned : List.of(false, true)) {
                        Map<String, Object> binds = new HashMap<>();
                        binds.put("project", loaded.project().id().value());
                        binds.put("after_id", loaded.pipelines().get(loaded.pipelines().size() / 2).id().value());
                        binds.put("after_value", Timestamp.from(loaded.at(0.5)));
                        String sql = "EXPLAIN " + pipelines.searchAfterSql(query, positioned, 21);
                        String plan = persistence.jdbi().withHandle(handle -> String.join("\n",
                                handle.createQuery(sql).bindMap(binds).mapTo(String.class).list()));
                        explained++;
                        String lower = plan.toLowerCase(Locale.ROOT);
                        // "index sorted: 1 of 2 columns" is a partial read: H2 then sorts the project's pipelines
                        if (!lower.contains("/* index sorted */") || lower.contains("tablescan")) {
                            sorted.add(order + (ascending ? " asc" : " desc") + (positioned ? " after" : " first")
                                    + ":\n" + plan);
                        }
                    }
                }
            }
            assertThat(explained).isEqualTo(8);
            assertThat(sorted).as("pipeline keyset plans that sort or scan").isEmpty();
        }
    }
}
