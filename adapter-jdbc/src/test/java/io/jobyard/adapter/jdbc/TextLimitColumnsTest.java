package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.domain.artifact.ArtifactPath;
import io.jobyard.domain.text.TextLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The domain's one table of text limits ({@link TextLimit}) against the migrated schema, on H2 and PostgreSQL: each
 * limit is exactly its columns' size, and every bounded text column is either limited there or made by Jobyard
 * itself. A new column of request text (a migration adding {@code VARCHAR(n)}) fails this test until its limit is
 * added to {@link TextLimit} and checked where the value is made — the way an over-long value stays a 400 instead of
 * becoming a database error.
 */
class TextLimitColumnsTest {
    /** Where each limit's values are stored ({@code table.column}). */
    private static final Map<TextLimit, List<String>> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put(TextLimit.PROJECT_NAME, List.of("projects.name"));
        COLUMNS.put(TextLimit.PROJECT_PATH, List.of("projects.path"));
        COLUMNS.put(TextLimit.NAMESPACE_PATH, List.of("projects.namespace_path"));
        COLUMNS.put(TextLimit.USERNAME, List.of("users.username"));
        COLUMNS.put(TextLimit.USER_NAME, List.of("users.name"));
        COLUMNS.put(TextLimit.EMAIL, List.of("users.email"));
        COLUMNS.put(TextLimit.TOKEN_NAME, List.of("personal_access_tokens.name"));
        COLUMNS.put(TextLimit.RUNNER_DESCRIPTION, List.of("runners.description"));
        COLUMNS.put(TextLimit.RUNNER_TAG, List.of("runner_tags.tag"));
        COLUMNS.put(TextLimit.REF, List.of("pipelines.ref", "jobs.ref"));
        COLUMNS.put(TextLimit.AUTHOR_NAME, List.of("pipelines.author_name"));
        COLUMNS.put(TextLimit.AUTHOR_EMAIL, List.of("pipelines.author_email"));
        COLUMNS.put(TextLimit.COMMITTER_NAME, List.of("pipelines.committer_name"));
        COLUMNS.put(TextLimit.COMMITTER_EMAIL, List.of("pipelines.committer_email"));
        COLUMNS.put(TextLimit.JOB_NAME, List.of("jobs.name"));
        COLUMNS.put(TextLimit.STAGE, List.of("jobs.stage"));
        COLUMNS.put(TextLimit.RESOURCE_GROUP, List.of("jobs.resource_group"));
        COLUMNS.put(TextLimit.IMAGE, List.of("jobs.image"));
        // Stored inside the encoded (unbounded) variables lists; 255 is GitLab's own key limit.
        COLUMNS.put(TextLimit.VARIABLE_KEY, List.of());
        COLUMNS.put(TextLimit.ARTIFACT_FILENAME, List.of("job_artifacts.filename"));
        COLUMNS.put(TextLimit.PROJECT_DESCRIPTION, List.of("projects.description"));
        COLUMNS.put(TextLimit.DEFAULT_BRANCH, List.of("projects.default_branch"));
        COLUMNS.put(TextLimit.REPOSITORY_URL, List.of("projects.repository_url", "pipelines.repository_url"));
        COLUMNS.put(TextLimit.HOOK_URL, List.of("project_hooks.url", "web_hook_logs.url"));
        COLUMNS.put(TextLimit.HOOK_TOKEN, List.of("project_hooks.token"));
        COLUMNS.put(TextLimit.HOOK_NAME, List.of("project_hooks.name"));
        COLUMNS.put(TextLimit.HOOK_DESCRIPTION, List.of("project_hooks.description"));
        COLUMNS.put(TextLimit.HOOK_BRANCH_FILTER, List.of("project_hooks.push_events_branch_filter"));
    }

    /** Bounded columns whose values Jobyard makes (digests, enums, derived paths, formatted values), not a request. */
    private static final Set<String> MADE_BY_JOBYARD = Set.of(
            "projects.full_path", "projects.full_path_lower", "users.username_lower", "users.state",
            "personal_access_tokens.digest", "personal_access_tokens.scopes", "runners.runner_type",
            "runners.token_digest", "pipelines.sha", "pipelines.authored_date", "pipelines.committed_date",
            "pipelines.source", "jobs.when_condition", "jobs.start_in", "jobs.failure_reason", "jobs.token_digest",
            "job_artifacts.sha256", "job_artifacts.accessibility", "job_artifacts.storage_key",
            "encryption_keys.key_id", "pipelines.before_sha",
            // issue 19's event log and delivery queue: every value is an enum name, a UUID or an id Jobyard makes
            "project_events.kind", "project_events.status", "project_events.previous_status", "project_events.uuid",
            "project_hooks.triggers", "project_hooks.branch_filter_strategy",
            "hook_deliveries.lane", "hook_deliveries.kind", "hook_deliveries.status", "hook_deliveries.previous_status",
            "hook_deliveries.event_uuid", "hook_deliveries.idempotency_key", "hook_deliveries.lease_owner",
            "web_hook_logs.trigger_name", "web_hook_logs.response_status",
            // issue 16's sign-in: a hash, a digest and a method name, all made by Jobyard
            "user_passwords.password_hash", "web_sessions.id_digest", "web_sessions.method",
            // issue 17's copy of the pipeline's source (an enum's wire name)
            "jobs.pipeline_source",
            // issue 18's trace archive queue: an instance name Jobyard makes, an error message shortened where stored
            "trace_archive_queue.lease_owner", "trace_archive_queue.last_error");

    @TempDir
    Path directory;

    @Test
    void onH2() throws SQLException {
        try (HikariDataSource pool = TestStores.h2DataSource(directory)) {
            JdbcPersistence.migrate(pool);
            check(pool);
        }
    }

    @Test
    void onPostgres() throws SQLException {
        try (HikariDataSource pool = TestStores.newPostgresDatabase(2)) {
            JdbcPersistence.migrate(pool);
            check(pool);
        }
    }

    private static void check(DataSource pool) throws SQLException {
        Map<String, Integer> bounded = boundedTextColumns(pool);
        assertThat(COLUMNS.keySet()).as("every limit has its columns named here").containsExactly(TextLimit.values());
        List<String> accounted = new ArrayList<>(MADE_BY_JOBYARD);
        COLUMNS.forEach((limit, columns) -> columns.forEach(column -> {
            assertThat(bounded).as(column + " (" + limit + ")").containsKey(column);
            assertThat(bounded.get(column)).as(column + " holds exactly " + limit + "'s limit")
                    .isEqualTo(limit.maxLength());
            accounted.add(column);
        }));
        assertThat(bounded.get("archive_entries.path")).as("ArtifactPath's own limit")
                .isEqualTo(ArtifactPath.MAX_LENGTH);
        accounted.add("archive_entries.path");
        // issue 17's tag index: copies of job tags (RUNNER_TAG-limited where a job is made, unbounded in jobs.tags);
        // the adapter leaves out longer ones that jobs stored before the limit may hold, so none fails an insert
        assertThat(bounded.get("job_tags.tag")).as("job_tags.tag holds what the adapter indexes")
                .isEqualTo(V41__Job_tags.MAX_TAG_LENGTH).isGreaterThanOrEqualTo(TextLimit.RUNNER_TAG.maxLength());
        accounted.add("job_tags.tag");
        assertThat(bounded.keySet())
                .as("bounded text columns: each needs a TextLimit checked where its value is made, or is made by"
                        + " Jobyard (MADE_BY_JOBYARD)")
                .containsExactlyInAnyOrderElementsOf(accounted);
    }

    /** {@code table.column} → maximum length of every {@code VARCHAR(n)} column of Jobyard's tables. */
    private static Map<String, Integer> boundedTextColumns(DataSource pool) throws SQLException {
        Map<String, Integer> columns = new TreeMap<>();
        try (Connection connection = pool.getConnection();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT table_name, column_name, character_maximum_length FROM information_schema.columns"
                             + " WHERE lower(table_schema) = 'public' AND character_maximum_length IS NOT NULL"
                             + " AND lower(data_type) IN ('character varying', 'varchar')")) {
            while (rows.next()) {
                String table = rows.getString(1).toLowerCase(Locale.ROOT);
                if (table.startsWith("flyway_")) {
                    continue;
                }
                long length = rows.getLong(3);
                if (length >= 1_000_000) {
                    continue; // an unbounded VARCHAR: H2 reports its own maximum
                }
                columns.put(table + "." + rows.getString(2).toLowerCase(Locale.ROOT), (int) length);
            }
        }
        return columns;
    }
}
