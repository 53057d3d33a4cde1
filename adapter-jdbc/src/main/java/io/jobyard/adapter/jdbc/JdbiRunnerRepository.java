package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.runner.RunnerType;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Runners in {@code runners} with their tags in {@code runner_tags}; tokens are stored as digests only. */
public final class JdbiRunnerRepository implements RunnerRepository {
    private static final String COLUMNS = "id, description, runner_type, project_id, active, run_untagged, "
            + "graceful_cancel, token_digest, created_at, contacted_at";

    private static final String WITH_TAGS = "SELECT " + Arrays.stream(COLUMNS.split(", "))
            .map(column -> "r." + column).collect(Collectors.joining(", "))
            + ", t.tag FROM runners r LEFT JOIN runner_tags t ON t.runner_id = r.id ";

    /** A runner row before its tags are attached. */
    private record Row(RunnerId id, String description, RunnerType type, ProjectId projectId, boolean active,
                       boolean runUntagged, boolean gracefulCancel, String tokenDigest, Instant createdAt,
                       Instant contactedAt) {
        Runner withTags(List<String> tags) {
            return new Runner(id, description, type, projectId, active, tags, runUntagged, gracefulCancel,
                    tokenDigest, createdAt, contactedAt);
        }
    }

    private static final ResultColumns.RowReader<Row> ROW = rs -> {
        Long project = rs.nullableLong("project_id");
        return new Row(
                RunnerId.of(rs.longValue("id")),
                rs.string("description"),
                RunnerType.valueOf(rs.string("runner_type").toUpperCase(Locale.ROOT)),
                project == null ? null : ProjectId.of(project),
                rs.bool("active"),
                rs.bool("run_untagged"),
                rs.bool("graceful_cancel"),
                rs.string("token_digest"),
                rs.instant("created_at"),
                rs.instant("contacted_at"));
    };

    private final Database database;

    JdbiRunnerRepository(Database database) {
        this.database = database;
    }

    @Override
    public RunnerId nextId() {
        return RunnerId.of(database.nextValue("runner_id_seq"));
    }

    @Override
    public Runner insert(Runner runner) {
        return database.inTransaction(handle -> {
            bind(handle.createUpdate("INSERT INTO runners (" + COLUMNS + ") VALUES (:id, :description, :runner_type, "
                    + ":project_id, :active, :run_untagged, :graceful_cancel, :token_digest, :created_at, "
                    + ":contacted_at)"), runner).execute();
            insertTags(handle, runner);
            return stored(runner);
        });
    }

    @Override
    public Runner update(Runner runner) {
        return database.inTransaction(handle -> {
            int rows = bind(handle.createUpdate("UPDATE runners SET description = :description, "
                    + "runner_type = :runner_type, project_id = :project_id, active = :active, "
                    + "run_untagged = :run_untagged, graceful_cancel = :graceful_cancel, "
                    + "token_digest = :token_digest, contacted_at = :contacted_at WHERE id = :id"), runner).execute();
            if (rows == 0) {
                throw NotFoundException.resource("Runner");
            }
            handle.createUpdate("DELETE FROM runner_tags WHERE runner_id = :id").bind("id", runner.id().value())
                    .execute();
            insertTags(handle, runner);
            return stored(runner);
        });
    }

    @Override
    public boolean delete(RunnerId id) {
        return database.inTransaction(handle -> {
            handle.createUpdate("DELETE FROM runner_tags WHERE runner_id = :id").bind("id", id.value()).execute();
            return handle.createUpdate("DELETE FROM runners WHERE id = :id").bind("id", id.value()).execute() > 0;
        });
    }

    @Override
    public Optional<Runner> findById(RunnerId id) {
        return Optional.ofNullable(findByIds(List.of(id)).get(id));
    }

    /** Two statements whatever the number of runners: the rows, then all their tags. */
    @Override
    public Map<RunnerId, Runner> findByIds(Collection<RunnerId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Long> values = ids.stream().map(RunnerId::value).distinct().toList();
        return database.withHandle(handle -> withTags(handle.createQuery(WITH_TAGS + "WHERE r.id IN (<ids>) "
                + "ORDER BY r.id").bindList("ids", values)));
    }

    @Override
    public Optional<Runner> findByTokenDigest(String digest) {
        if (digest == null) {
            return Optional.empty();
        }
        return database.withHandle(handle -> withTags(handle.createQuery(WITH_TAGS
                        + "WHERE r.token_digest = :digest").bind("digest", digest)))
                .values().stream().filter(runner -> Digests.equal(runner.tokenDigest(), digest)).findFirst();
    }

    /** Runners with their tags in one statement: a row per tag, or one with a null tag for a runner without any. */
    private static Map<RunnerId, Runner> withTags(Query query) {
        Map<RunnerId, Row> rows = new LinkedHashMap<>();
        Map<RunnerId, List<String>> tags = new HashMap<>();
        query.map(ResultColumns.mapper(rs -> Map.entry(ROW.read(rs), Optional.ofNullable(rs.string("tag")))))
                .forEach(entry -> {
                    Row row = entry.getKey();
                    rows.putIfAbsent(row.id(), row);
                    entry.getValue().ifPresent(tag -> tags.computeIfAbsent(row.id(), id -> new ArrayList<>()).add(tag));
                });
        Map<RunnerId, Runner> byId = new LinkedHashMap<>();
        rows.forEach((id, row) -> byId.put(id, row.withTags(tags.getOrDefault(id, List.of()))));
        return byId;
    }

    private static void insertTags(Handle handle, Runner runner) {
        if (runner.tags().isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO runner_tags (runner_id, tag) VALUES (:runner, :tag)");
        for (String tag : runner.tags()) {
            batch.bind("runner", runner.id().value()).bind("tag", tag).add();
        }
        batch.execute();
    }

    private static <S extends SqlStatement<S>> S bind(S statement, Runner runner) {
        return statement
                .bind("id", runner.id().value())
                .bind("description", runner.description())
                .bind("runner_type", runner.type().wireName())
                .bind("project_id", runner.projectId() == null ? null : runner.projectId().value())
                .bind("active", runner.active())
                .bind("run_untagged", runner.runUntagged())
                .bind("graceful_cancel", runner.gracefulCancel())
                .bind("token_digest", runner.tokenDigest())
                .bind("created_at", Values.instant(runner.createdAt()))
                .bind("contacted_at", Values.instant(runner.contactedAt()));
    }

    private static Runner stored(Runner r) {
        return new Runner(r.id(), r.description(), r.type(), r.projectId(), r.active(), r.tags(), r.runUntagged(),
                r.gracefulCancel(), r.tokenDigest(), Values.stored(r.createdAt()), Values.stored(r.contactedAt()));
    }
}
