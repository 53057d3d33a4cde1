package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Pipelines in the {@code pipelines} table; updates are conditional on the lock version that was read. */
public final class JdbiPipelineRepository implements PipelineRepository {
    private static final String SELECT = "SELECT " + PipelineRows.COLUMNS + " FROM pipelines ";
    private static final String LATEST_SUCCESSFUL_FOR_REF = SELECT
            + "WHERE project_id = :project AND ref = :ref AND status = :status "
            + "ORDER BY project_id, ref, status, id DESC" + Paging.limit(1);

    private final Database database;
    private final PipelineRows rows;

    JdbiPipelineRepository(Database database, VariableColumns variables) {
        this.database = database;
        this.rows = new PipelineRows(variables);
    }

    @Override
    public PipelineId nextId() {
        return PipelineId.of(database.nextValue("pipeline_id_seq"));
    }

    /**
     * Advances the project's counter by compare-and-set: read it, then update it only if it still holds what was
     * read. Portable, and two instances can never hand out the same number.
     */
    @Override
    public long nextIid(ProjectId project) {
        while (true) {
            Optional<Long> next = database.withHandle(handle -> tryNextIid(handle, project));
            if (next.isPresent()) {
                return next.get();
            }
            Thread.onSpinWait();
        }
    }

    private static final String COUNTER_SAVEPOINT = "new_iid_counter";

    private Optional<Long> tryNextIid(Handle handle, ProjectId project) {
        Optional<Long> last = handle.createQuery("SELECT last_iid FROM project_pipeline_iids WHERE project_id = :p")
                .bind("p", project.value()).mapTo(Long.class).findOne();
        if (last.isEmpty()) {
            long first = handle.createQuery("SELECT COALESCE(MAX(iid), 0) + 1 FROM pipelines WHERE project_id = :p")
                    .bind("p", project.value()).mapTo(Long.class).one();
            if (database.insideTransaction()) {
                // A failed statement aborts a PostgreSQL transaction, so the insert of a new counter row runs under
                // a savepoint that a duplicate rolls back to. (It once ran "on its own connection" through
                // Jdbi.withHandle, which hands back the handle already open on the thread: the caller's transaction,
                // which a concurrent creation then aborted.) A concurrent first insert waits for this transaction.
                handle.savepoint(COUNTER_SAVEPOINT);
                Optional<Long> inserted = insertCounter(handle, project, first);
                if (inserted.isPresent()) {
                    handle.releaseSavepoint(COUNTER_SAVEPOINT);
                } else {
                    handle.rollbackToSavepoint(COUNTER_SAVEPOINT);
                }
                return inserted;
            }
            return insertCounter(handle, project, first);
        }
        int rows = handle.createUpdate("UPDATE project_pipeline_iids SET last_iid = :next "
                        + "WHERE project_id = :p AND last_iid = :last")
                .bind("next", last.get() + 1).bind("p", project.value()).bind("last", last.get()).execute();
        return rows == 1 ? Optional.of(last.get() + 1) : Optional.empty();
    }

    private static Optional<Long> insertCounter(Handle handle, ProjectId project, long first) {
        try {
            handle.createUpdate("INSERT INTO project_pipeline_iids (project_id, last_iid) VALUES (:p, :first)")
                    .bind("p", project.value()).bind("first", first).execute();
            return Optional.of(first);
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Pipeline insert(Pipeline pipeline) {
        return database.withHandle(handle -> {
            rows.bind(handle.createUpdate(PipelineRows.INSERT), pipeline).execute();
            return PipelineRows.stored(pipeline);
        });
    }

    @Override
    public Pipeline update(Pipeline pipeline) {
        return database.withHandle(handle -> {
            int updated = rows.bind(handle.createUpdate("UPDATE pipelines SET " + PipelineRows.ASSIGNMENTS
                            + ", lock_version = lock_version + 1 WHERE id = :id AND lock_version = :lock_version"),
                    pipeline).execute();
            if (updated == 0) {
                throw new StaleObjectException("Pipeline " + pipeline.id());
            }
            return PipelineRows.stored(pipeline).withLockVersion(pipeline.lockVersion() + 1);
        });
    }

    @Override
    public Optional<Pipeline> findById(PipelineId id) {
        return database.withHandle(handle -> handle.createQuery(SELECT + "WHERE id = :id")
                .bind("id", id.value()).map(rows).findOne());
    }

    @Override
    public Map<PipelineId, Pipeline> findByIds(Collection<PipelineId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Long> values = ids.stream().map(PipelineId::value).distinct().toList();
        List<Pipeline> found = database.withHandle(handle -> handle.createQuery(SELECT
                        + "WHERE id IN (<ids>) ORDER BY id")
                .bindList("ids", values).map(rows).list());
        Map<PipelineId, Pipeline> byId = new LinkedHashMap<>();
        found.forEach(p -> byId.put(p.id(), p));
        return byId;
    }

    @Override
    public Optional<Pipeline> latestSuccessfulForRef(ProjectId project, String ref) {
        return database.withHandle(handle -> handle.createQuery(LATEST_SUCCESSFUL_FOR_REF)
                .bind("project", project.value()).bind("ref", ref).bind("status", JobStatus.SUCCESS.code())
                .map(rows).findOne());
    }

    /**
     * One statement for all refs, made of one {@code ORDER BY ... LIMIT 1} branch per distinct ref under
     * {@code UNION ALL}: each branch reads a single entry of the {@code (project_id, ref, status, id DESC)} index. The
     * single statement with a correlated {@code MAX(id)} subquery used before made H2 run the subquery for every
     * successful pipeline of the ref, so each job view cost time proportional to the square of the ref's pipelines
     * (92 % of the server's CPU on {@code GET /projects/:id/jobs/:job_id} at 500 pipelines, see BENCHMARKS.md).
     */
    @Override
    public Map<String, PipelineId> latestSuccessfulIdsForRefs(ProjectId project, Collection<String> refs) {
        if (refs.isEmpty()) {
            return Map.of();
        }
        List<String> distinct = refs.stream().distinct().toList();
        // One index seek per ref (project_id, ref, status, id DESC), as parenthesized branches of a UNION rather than
        // derived tables, which H2 plans again on every execution.
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < distinct.size(); i++) {
            if (i > 0) {
                sql.append(" UNION ALL ");
            }
            sql.append("(SELECT id, ref FROM pipelines WHERE project_id = :project AND ref = :ref").append(i)
                    .append(" AND status = :status ORDER BY project_id, ref, status, id DESC")
                    .append(Paging.limit(1)).append(')');
        }
        Map<String, PipelineId> byRef = new LinkedHashMap<>();
        database.withHandle(handle -> {
            Query query = handle.createQuery(sql.toString())
                    .bind("project", project.value()).bind("status", JobStatus.SUCCESS.code());
            for (int i = 0; i < distinct.size(); i++) {
                query.bind("ref" + i, distinct.get(i));
            }
            query.map((rs, ctx) -> Map.entry(rs.getString("ref"), PipelineId.of(rs.getLong("id"))))
                    .forEach(entry -> byRef.put(entry.getKey(), entry.getValue()));
            return null;
        });
        return byRef;
    }

    @Override
    public List<Pipeline> list(ProjectId project, PipelineFilter filter, long offset, int limit) {
        String sql = SELECT + "WHERE project_id = :project" + conditions(filter)
                + " ORDER BY project_id, id DESC" + Paging.limitOffset(limit, offset);
        return database.withHandle(handle -> bindFilter(handle.createQuery(sql), project, filter)
                .map(rows).list());
    }

    @Override
    public long count(ProjectId project, PipelineFilter filter) {
        String sql = "SELECT COUNT(*) FROM pipelines WHERE project_id = :project" + conditions(filter);
        return database.withHandle(handle -> bindFilter(handle.createQuery(sql), project, filter)
                .mapTo(Long.class).one());
    }

    private static String conditions(PipelineFilter filter) {
        PipelineFilter f = filter == null ? PipelineFilter.ALL : filter;
        StringBuilder sql = new StringBuilder();
        if (f.statuses() != null && !f.statuses().isEmpty()) {
            sql.append(" AND status IN (").append(f.statuses().stream().map(JobStatus::code).sorted()
                    .map(String::valueOf).collect(Collectors.joining(", "))).append(')');
        }
        if (f.ref() != null) {
            sql.append(" AND ref = :ref");
        }
        if (f.sha() != null) {
            sql.append(" AND sha = :sha");
        }
        return sql.toString();
    }

    private static Query bindFilter(Query query, ProjectId project, PipelineFilter filter) {
        PipelineFilter f = filter == null ? PipelineFilter.ALL : filter;
        return query.bind("project", project.value()).bind("ref", f.ref()).bind("sha", f.sha());
    }

    @Override
    public List<Pipeline> search(ProjectId project, PipelineQuery query, long offset, int limit) {
        String sql = SELECT + "p WHERE p.project_id = :project" + searchConditions(query) + " ORDER BY "
                + searchOrder(query) + Paging.limitOffset(limit, offset);
        return database.withHandle(handle -> bindSearch(handle.createQuery(sql), project, query)
                .map(rows).list());
    }

    @Override
    public long searchCount(ProjectId project, PipelineQuery query) {
        String sql = "SELECT COUNT(*) FROM pipelines p WHERE p.project_id = :project" + searchConditions(query);
        return database.withHandle(handle -> bindSearch(handle.createQuery(sql), project, query)
                .mapTo(Long.class).one());
    }

    /**
     * Keyset pages: the search's conditions and order plus the position as a row-value comparison, which starts the
     * walk of {@code pipelines_project_id_idx} or {@code pipelines_project_updated_idx} there.
     */
    @Override
    public List<Pipeline> searchAfter(ProjectId project, PipelineQuery query, SortKey after, int limit) {
        if (!PipelineRepository.keysetOrder(query.order())) {
            throw new IllegalArgumentException("no keyset pages in order " + query.order());
        }
        String sql = searchAfterSql(query, after != null, limit);
        return database.withHandle(handle -> {
            Query statement = bindSearch(handle.createQuery(sql), project, query);
            if (after != null) {
                statement.bind("after_id", after.id());
                if (query.order() == Order.UPDATED_AT) {
                    statement.bind("after_value", Values.instant(JobOrder.instant(after.value())));
                }
            }
            return statement.map(rows).list();
        });
    }

    /**
     * The statement of {@link #searchAfter}: {@code positioned} when it starts after a position. Unfiltered, H2 is told
     * the order's index: left to choose for a first page it takes {@code pipelines_project_iid_key} (equally selective
     * on the project) and sorts every pipeline of the project.
     */
    String searchAfterSql(PipelineQuery query, boolean positioned, int limit) {
        String comparison = query.ascending() ? " > " : " < ";
        String position = !positioned ? ""
                : query.order() == Order.ID ? " AND p.id" + comparison + ":after_id"
                : " AND (p.updated_at, p.id)" + comparison + "(:after_value, :after_id)";
        String conditions = searchConditions(query);
        String hint = database.dialect() == Dialect.H2 && conditions.isEmpty()
                ? " USE INDEX (" + (query.order() == Order.ID ? "pipelines_project_id_idx"
                        : "pipelines_project_updated_idx") + ")"
                : "";
        return SELECT + "p" + hint + " WHERE p.project_id = :project" + conditions + position + " ORDER BY "
                + searchOrder(query) + Paging.limit(limit);
    }

    /** Statuses are numbers from the enum, never request text, so they are written into the statement. */
    private static String searchConditions(PipelineQuery query) {
        StringBuilder sql = new StringBuilder();
        if (query.statuses() != null) {
            if (query.statuses().isEmpty()) {
                return " AND 1 = 0";
            }
            sql.append(" AND p.status IN (").append(query.statuses().stream().map(JobStatus::code).sorted()
                    .map(String::valueOf).collect(Collectors.joining(", "))).append(')');
        }
        appendIf(sql, query.ref() != null, " AND p.ref = :ref");
        appendIf(sql, query.sha() != null, " AND p.sha = :sha");
        appendIf(sql, query.tag() != null, " AND p.tag = :tag");
        appendIf(sql, query.latestPerRef(), " AND p.id = (SELECT MAX(q.id) FROM pipelines q "
                + "WHERE q.project_id = p.project_id AND q.ref = p.ref AND q.tag = p.tag)");
        appendIf(sql, query.source() != null, " AND p.source = :source");
        appendIf(sql, query.user() != null, " AND p.user_id = :user_id");
        appendIf(sql, query.updatedAfter() != null, " AND p.updated_at >= :updated_after");
        appendIf(sql, query.updatedBefore() != null, " AND p.updated_at <= :updated_before");
        appendIf(sql, query.createdAfter() != null, " AND p.created_at >= :created_after");
        appendIf(sql, query.createdBefore() != null, " AND p.created_at <= :created_before");
        return sql.toString();
    }

    private static void appendIf(StringBuilder sql, boolean condition, String text) {
        if (condition) {
            sql.append(text);
        }
    }

    /**
     * The sort column, then the id in the same direction. GitLab stores statuses as text, so they sort by name here
     * too; NULL user ids sort as PostgreSQL sorts them by default (last ascending, first descending), said explicitly
     * because H2 would put them first.
     */
    private String searchOrder(PipelineQuery query) {
        String direction = query.ascending() ? " ASC" : " DESC";
        // H2 reverses an index only as a whole: the constant project_id takes the direction that walks
        // (project_id, id DESC) forwards for newest first and backwards for oldest first, and
        // (project_id, updated_at, id) in the list's direction
        String column = switch (query.order()) {
            case ID -> "p.project_id" + (query.ascending() ? " DESC" : " ASC") + ", p.id";
            case STATUS -> STATUS_BY_NAME;
            case REF -> "p.ref " + database.dialect().pathCollation();
            case UPDATED_AT -> "p.project_id" + direction + ", p.updated_at";
            case USER_ID -> "p.user_id";
        };
        if (query.order() == Order.ID) {
            return column + direction;
        }
        String nulls = query.order() == Order.USER_ID ? (query.ascending() ? " NULLS LAST" : " NULLS FIRST") : "";
        return column + direction + nulls + ", p.id" + direction;
    }

    /** {@code CASE p.status WHEN <code> THEN <rank of its wire name> ... END}. */
    private static final String STATUS_BY_NAME = statusByName();

    private static String statusByName() {
        List<JobStatus> byName = java.util.Arrays.stream(JobStatus.values())
                .sorted(java.util.Comparator.comparing(JobStatus::wireName)).toList();
        StringBuilder sql = new StringBuilder("CASE p.status");
        for (int rank = 0; rank < byName.size(); rank++) {
            sql.append(" WHEN ").append(byName.get(rank).code()).append(" THEN ").append(rank);
        }
        return sql.append(" END").toString();
    }

    private static Query bindSearch(Query query, ProjectId project, PipelineQuery search) {
        query.bind("project", project.value());
        if (search.ref() != null) {
            query.bind("ref", search.ref());
        }
        if (search.sha() != null) {
            query.bind("sha", search.sha());
        }
        if (search.tag() != null) {
            query.bind("tag", search.tag().booleanValue());
        }
        if (search.source() != null) {
            query.bind("source", search.source().wireName());
        }
        if (search.user() != null) {
            query.bind("user_id", search.user().value());
        }
        bindInstant(query, "updated_after", search.updatedAfter());
        bindInstant(query, "updated_before", search.updatedBefore());
        bindInstant(query, "created_after", search.createdAfter());
        bindInstant(query, "created_before", search.createdBefore());
        return query;
    }

    private static void bindInstant(Query query, String name, java.time.Instant value) {
        if (value != null) {
            query.bind(name, Values.instant(value));
        }
    }
}
