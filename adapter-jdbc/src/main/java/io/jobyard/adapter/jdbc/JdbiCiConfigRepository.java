package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.CiConfigRepository;
import io.jobyard.domain.project.ProjectId;
import org.jdbi.v3.core.Handle;

import java.util.Objects;
import java.util.Optional;

/** Stored CI configurations in {@code project_ci_configs}, one row per project. */
public final class JdbiCiConfigRepository implements CiConfigRepository {
    private final Database database;

    JdbiCiConfigRepository(Database database) {
        this.database = database;
    }

    @Override
    public Optional<StoredCiConfig> find(ProjectId project) {
        return database.withHandle(handle -> handle.createQuery(
                        "SELECT content, updated_at FROM project_ci_configs WHERE project_id = :project")
                .bind("project", project.value())
                .map((rs, ctx) -> new StoredCiConfig(project, rs.getString("content"),
                        Values.instant(rs, "updated_at")))
                .findOne());
    }

    /**
     * Update, else insert: portable across both databases (PostgreSQL 14 has no MERGE). Two instances inserting the
     * first configuration of a project at once: the loser's insert meets the key and it updates instead.
     */
    @Override
    public void put(StoredCiConfig config) {
        Objects.requireNonNull(config, "config");
        database.withHandle(handle -> {
            if (update(handle, config) > 0) {
                return null;
            }
            try {
                handle.createUpdate("INSERT INTO project_ci_configs (project_id, content, updated_at) "
                                + "VALUES (:project, :content, :updated_at)")
                        .bind("project", config.projectId().value()).bind("content", config.content())
                        .bind("updated_at", Values.instant(config.updatedAt())).execute();
            } catch (RuntimeException e) {
                // Inside a transaction PostgreSQL has given up on it after the failed insert: the caller retries.
                if (!SqlErrors.isUniqueViolation(e) || database.insideTransaction()) {
                    throw e;
                }
                update(handle, config);
            }
            return null;
        });
    }

    private static int update(Handle handle, StoredCiConfig config) {
        return handle.createUpdate("UPDATE project_ci_configs SET content = :content, updated_at = :updated_at "
                        + "WHERE project_id = :project")
                .bind("project", config.projectId().value()).bind("content", config.content())
                .bind("updated_at", Values.instant(config.updatedAt())).execute();
    }
}
