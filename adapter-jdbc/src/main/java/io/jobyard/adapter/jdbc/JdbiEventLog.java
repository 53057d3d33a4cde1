package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.EventLog;
import io.jobyard.domain.event.EventKind;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The event log in {@code project_events}, numbered per project through {@code project_event_sequences}. An append
 * raises each of its projects' counters (in project order, so two appenders never wait on each other crosswise) and
 * holds those row locks until the caller's commit: the next appender to the same project waits, takes the next
 * numbers and commits after. Event ids come from a sequence drawn under the same lock, so within a project ids rise
 * with the numbers too.
 */
public final class JdbiEventLog implements EventLog {
    private static final String COUNTER_SAVEPOINT = "new_event_counter";
    private static final String COLUMNS = "id, project_id, seq, kind, job_id, pipeline_id, status, previous_status, "
            + "uuid, recorded_at";

    private final Database database;

    JdbiEventLog(Database database) {
        this.database = database;
    }

    @Override
    public List<StatusEvent> append(List<StatusEvent.Change> changes, Instant recordedAt) {
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (changes.isEmpty()) {
            return List.of();
        }
        Instant at = Values.stored(recordedAt);
        return database.inTransaction(handle -> {
            Map<ProjectId, Integer> perProject = new TreeMap<>();
            changes.forEach(change -> perProject.merge(change.project(), 1, Integer::sum));
            Map<ProjectId, Long> next = new HashMap<>();
            for (Map.Entry<ProjectId, Integer> entry : perProject.entrySet()) {
                long last = raise(handle, entry.getKey(), entry.getValue());
                next.put(entry.getKey(), last - entry.getValue() + 1);
            }
            // From here until the caller's commit every other appender to these projects waits, so the rest is one
            // statement: each row draws its id as it is inserted (still under the counters' locks: within a project
            // ids rise with the numbers), and the ids come back as generated keys, told apart by the rows' uuids.
            PreparedBatch batch = handle.prepareBatch("INSERT INTO project_events (" + COLUMNS + ") VALUES ("
                    + database.dialect().nextValueExpression("project_event_id_seq") + ", :project_id, :seq, :kind, "
                    + ":job_id, :pipeline_id, :status, :previous_status, :uuid, :recorded_at)");
            List<String> uuids = new ArrayList<>(changes.size());
            List<Long> seqs = new ArrayList<>(changes.size());
            for (StatusEvent.Change change : changes) {
                long seq = next.merge(change.project(), 1L, Long::sum) - 1;
                String uuid = UUID.randomUUID().toString();
                seqs.add(seq);
                uuids.add(uuid);
                batch.bind("project_id", change.project().value()).bind("seq", seq)
                        .bind("kind", change.kind().wireName())
                        .bind("job_id", change.job() == null ? null : change.job().value())
                        .bind("pipeline_id", change.pipeline().value()).bind("status", change.status().wireName())
                        .bind("previous_status", change.previous() == null ? null : change.previous().wireName())
                        .bind("uuid", uuid).bind("recorded_at", Values.instant(at)).add();
            }
            Map<String, Long> ids = new HashMap<>();
            batch.executePreparedBatch("id", "uuid")
                    .map((rs, ctx) -> Map.entry(rs.getString("uuid"), rs.getLong("id")))
                    .forEach(entry -> ids.put(entry.getKey(), entry.getValue()));
            List<StatusEvent> stored = new ArrayList<>(changes.size());
            for (int i = 0; i < changes.size(); i++) {
                StatusEvent.Change change = changes.get(i);
                Long id = ids.get(uuids.get(i));
                if (id == null) {
                    throw new IllegalStateException("the database did not answer the id of an event it stored");
                }
                stored.add(new StatusEvent(id, change.project(), seqs.get(i), change.kind(), change.job(),
                        change.pipeline(), change.status(), change.previous(), uuids.get(i), at));
            }
            return stored;
        });
    }

    /** Raises the project's counter by {@code n} (creating it on its first event) and answers the new last number. */
    private long raise(Handle handle, ProjectId project, int n) {
        String update = database.dialect().updateReturning("UPDATE project_event_sequences "
                + "SET last_seq = last_seq + :n WHERE project_id = :p", "last_seq");
        while (true) {
            Optional<Long> raised = handle.createQuery(update).bind("n", n).bind("p", project.value())
                    .mapTo(Long.class).findOne();
            if (raised.isPresent()) {
                return raised.get();
            }
            // The project's first event: a concurrent first insert meets the key, rolls back to the savepoint (a
            // failed statement would abort a PostgreSQL transaction) and raises the row the other one made.
            handle.savepoint(COUNTER_SAVEPOINT);
            try {
                handle.createUpdate("INSERT INTO project_event_sequences (project_id, last_seq) VALUES (:p, :n)")
                        .bind("p", project.value()).bind("n", n).execute();
                handle.releaseSavepoint(COUNTER_SAVEPOINT);
                return n;
            } catch (RuntimeException e) {
                if (!SqlErrors.isUniqueViolation(e)) {
                    throw e;
                }
                handle.rollbackToSavepoint(COUNTER_SAVEPOINT);
            }
        }
    }

    @Override
    public long lastSeq(ProjectId project) {
        return database.withHandle(handle -> handle.createQuery(
                        "SELECT last_seq FROM project_event_sequences WHERE project_id = :p")
                .bind("p", project.value()).mapTo(Long.class).findOne().orElse(0L));
    }

    @Override
    public List<StatusEvent> projectEventsAfter(ProjectId project, long afterSeq, int limit) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM project_events "
                        + "WHERE project_id = :p AND seq > :after ORDER BY seq LIMIT :limit")
                .bind("p", project.value()).bind("after", afterSeq).bind("limit", limit)
                .map((rs, ctx) -> event(rs)).list());
    }

    @Override
    public List<StatusEvent> after(long afterId, int limit) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM project_events "
                        + "WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit).map((rs, ctx) -> event(rs)).list());
    }

    @Override
    public List<StatusEvent> byIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return database.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM project_events "
                        + "WHERE id IN (<ids>) ORDER BY id")
                .bindList("ids", List.copyOf(ids)).map((rs, ctx) -> event(rs)).list());
    }

    @Override
    public long lastId() {
        return database.withHandle(handle -> handle.createQuery("SELECT COALESCE(MAX(id), 0) FROM project_events")
                .mapTo(Long.class).one());
    }

    @Override
    public int pruneBefore(Instant before, int limit) {
        return database.withHandle(handle -> handle.createUpdate("DELETE FROM project_events WHERE id IN "
                        + "(SELECT id FROM project_events WHERE recorded_at < :before ORDER BY id LIMIT :limit)")
                .bind("before", Values.instant(before)).bind("limit", limit).execute());
    }

    static StatusEvent event(ResultSet rs) throws SQLException {
        Long job = Values.nullableLong(rs, "job_id");
        String previous = rs.getString("previous_status");
        return new StatusEvent(rs.getLong("id"), ProjectId.of(rs.getLong("project_id")), rs.getLong("seq"),
                EventKind.fromWireName(rs.getString("kind")), job == null ? null : JobId.of(job),
                PipelineId.of(rs.getLong("pipeline_id")), status(rs.getString("status")),
                previous == null ? null : status(previous), rs.getString("uuid"), Values.instant(rs, "recorded_at"));
    }

    static JobStatus status(String wireName) {
        return JobStatus.fromWireName(wireName)
                .orElseThrow(() -> new IllegalStateException("unknown status in the event log: " + wireName));
    }
}
