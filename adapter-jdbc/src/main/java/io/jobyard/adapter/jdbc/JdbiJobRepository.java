package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Jobs in the {@code jobs} table; every update is conditional on the lock version that was read. */
public final class JdbiJobRepository implements JobRepository {
    /** How many pending jobs one claim looks at before telling the runner there is nothing for it. */
    static final int CLAIM_SCAN_LIMIT = 1_000;
    /**
     * A search reads the rows of one filter and sorts them when that filter matches fewer rows than this; past it,
     * walking the order's index (whose rows are already in order) costs less. See {@link #search}.
     */
    static final int PROBE_CAP = 2_000;
    /** How many artifact rows one batch of {@link #pageThroughArtifacts} reads (at least twice the page). */
    static final int ARTIFACT_BATCH = 256;
    /** How many batches it reads before leaving the page to the walk (other filters let few of them through). */
    static final int ARTIFACT_ROUNDS = 8;
    /** The smallest count a later probe goes to (see {@link #probeCap(long)}). */
    static final int MIN_PROBE_CAP = 32;
    /** How many entries of the order's index a walk reads before it gives up for a filter's rows (see search). */
    static final int WALK_BUDGET = 4_000;
    /**
     * How many entries of a filter's index a page by id reads first when other filters pick among its rows (see
     * {@link #boundedDriverPage}): fewer than the walk's, as its boundary is paid on every page of such a search and
     * the rows mostly pass (1.6 ms for 4,000 entries on H2, 0.4 ms for these).
     */
    static final int DRIVER_BUDGET = 1_000;
    /**
     * How many of a time range's ids tell whether its rows begin near a walk that gave up ({@link #idEdge}), and how
     * near (in ids, as budgets of that walk) is near enough to walk on rather than pass over the whole range. At
     * 1,000,000 jobs a bound on finish times listed newest first met the 8,500 newest jobs unfinished, and the pass over
     * the 400,000 finished after the bound took 48 ms where walking on took 4; the far ends this is for lie 800,000 and
     * more ids away. Walking on through a gap called near costs what it cost before the shortcut existed.
     */
    static final int NEAR_SAMPLE = 64;
    static final int NEAR_BUDGETS = 64;
    /** A walk that gave up sorts a filter's rows instead only when they are fewer than this. */
    static final int FALLBACK_CAP = 10_000;
    /** A sha filter lists at most this many pipelines by id; more are joined by the database. */
    private static final int MAX_SHA_PIPELINES = 500;
    private static final int CLAIM_PAGE = 25;

    private static final String SELECT = "SELECT " + JobRows.COLUMNS + " FROM jobs ";

    /**
     * The search's statements are planned for their values every time they run: pgjdbc otherwise prepares a statement
     * on the server from its fifth use, and PostgreSQL may then switch to a generic plan, which cannot see how narrow a
     * keyset bound or how common a filter value is (a walk of the order's index bounded 4,000 entries ahead became a
     * read of every {@code ref=main} row and a sort: 0.2 ms to 40 ms at 100,000 jobs). H2 plans every statement anyway.
     */
    private static final StatementCustomizer CUSTOM_PLANS = new StatementCustomizer() {
        @Override
        public void beforeExecution(PreparedStatement statement, StatementContext context) throws SQLException {
            if (statement.isWrapperFor(PGStatement.class)) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
        }
    };

    private final Database database;
    private final JobRows rows;
    private int probeCap = PROBE_CAP;
    private int walkBudget = WALK_BUDGET;
    private int driverBudget = DRIVER_BUDGET;
    private int fallbackCap = FALLBACK_CAP;
    private boolean shortcuts = true;

    JdbiJobRepository(Database database, VariableColumns variables) {
        this.database = database;
        this.rows = new JobRows(variables);
    }

    /**
     * Other thresholds than {@link #PROBE_CAP} and {@link #FALLBACK_CAP}, for tests on tables far smaller than the
     * million jobs those are chosen for: the share of the table they stand for is what decides a plan.
     */
    JdbiJobRepository withCaps(int probe, int fallback) {
        probeCap = probe;
        fallbackCap = fallback;
        return this;
    }

    /** Other walks than {@link #WALK_BUDGET} and {@link #DRIVER_BUDGET}, for the same tests. */
    JdbiJobRepository withBudgets(int walk, int driver) {
        walkBudget = walk;
        driverBudget = driver;
        return this;
    }

    /**
     * Whether the search takes the shortcuts of V100 and after ({@link #unfinishedById}, and lists by id of a tag or
     * an artifact type read in the order of that table's index): on, except in a benchmark that measures the plans
     * without them against the same rows in the same minute.
     */
    JdbiJobRepository withShortcuts(boolean on) {
        shortcuts = on;
        return this;
    }

    @Override
    public JobId nextId() {
        return JobId.of(database.nextValue("job_id_seq"));
    }

    @Override
    public Job insert(Job job) {
        return insertAll(List.of(job)).get(0);
    }

    /**
     * One batch (one round trip per driver batch) in one transaction: pipeline creation and bulk loads. The jobs'
     * pipeline sources are read first (one query) and copied into each row; their tags go to {@code job_tags}.
     */
    @Override
    public List<Job> insertAll(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        return database.inTransaction(handle -> {
            Map<Long, String> sources = pipelineSources(handle, jobs);
            PreparedBatch batch = handle.prepareBatch(JobRows.INSERT);
            for (Job job : jobs) {
                // A missing pipeline fails on its foreign key; the empty source only lets the row reach that check.
                rows.bind(batch, job).bind("pipeline_source", sources.getOrDefault(job.pipelineId().value(), ""))
                        .add();
            }
            batch.execute();
            PreparedBatch tags = handle.prepareBatch(
                    "INSERT INTO job_tags (job_id, project_id, tag) VALUES (:job, :project, :tag)");
            for (Job job : jobs) {
                for (String tag : V41__Job_tags.indexed(job.spec().tags())) {
                    tags.bind("job", job.id().value()).bind("project", job.projectId().value()).bind("tag", tag)
                            .add();
                }
            }
            if (tags.size() > 0) {
                tags.execute();
            }
            return jobs.stream().map(JobRows::stored).toList();
        });
    }

    private static Map<Long, String> pipelineSources(Handle handle, List<Job> jobs) {
        List<Long> pipelines = jobs.stream().map(job -> job.pipelineId().value()).distinct().toList();
        Map<Long, String> sources = new java.util.HashMap<>();
        handle.createQuery("SELECT id, source FROM pipelines WHERE id IN (<ids>)").bindList("ids", pipelines)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(entry -> sources.put(entry.getKey(), entry.getValue()));
        return sources;
    }

    @Override
    public Job update(Job job) {
        return database.withHandle(handle -> update(handle, job));
    }

    private Job update(Handle handle, Job job) {
        int updated = rows.bind(handle.createUpdate("UPDATE jobs SET " + JobRows.ASSIGNMENTS
                        + ", lock_version = lock_version + 1 WHERE id = :id AND lock_version = :lock_version"), job)
                .execute();
        if (updated == 0) {
            throw new StaleObjectException("Job " + job.id());
        }
        return JobRows.stored(job).withLockVersion(job.lockVersion() + 1);
    }

    @Override
    public Optional<Job> findById(JobId id) {
        return database.withHandle(handle -> handle.createQuery(SELECT + "WHERE id = :id")
                .bind("id", id.value()).map(rows).findOne());
    }

    @Override
    public Map<JobId, Job> findByIds(Collection<JobId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Long> values = ids.stream().map(JobId::value).distinct().toList();
        List<Job> found = database.withHandle(handle -> handle.createQuery(SELECT + "WHERE id IN (<ids>) ORDER BY id")
                .bindList("ids", values).map(rows).list());
        Map<JobId, Job> byId = new LinkedHashMap<>();
        found.forEach(job -> byId.put(job.id(), job));
        return byId;
    }

    @Override
    public List<Job> findByPipeline(PipelineId pipeline) {
        return database.withHandle(handle -> handle.createQuery(SELECT + "WHERE pipeline_id = :pipeline ORDER BY id")
                .bind("pipeline", pipeline.value()).map(rows).list());
    }

    /**
     * Offset pages as a deferred join: the derived table skips {@code offset} entries of the (project_id, id) index
     * reading ids only, then the page's rows are fetched by primary key. GitLab allows offsets up to 50,000. (Written
     * as a join: H2 runs {@code id IN (subquery)} twenty times slower.)
     */
    @Override
    public List<Job> listForProject(ProjectId project, Set<JobStatus> statuses, long offset, int limit) {
        String sql = "SELECT " + JobRows.J_COLUMNS + " FROM (SELECT id FROM jobs WHERE project_id = :project"
                + statusFilter(statuses) + projectOrder(statuses) + Paging.limitOffset(limit, offset)
                + ") page JOIN jobs j ON j.id = page.id ORDER BY j.id DESC";
        return database.withHandle(handle -> handle.createQuery(sql)
                .bind("project", project.value()).map(rows).list());
    }

    @Override
    public List<Job> listForProjectBefore(ProjectId project, Set<JobStatus> statuses, JobId beforeId, int limit) {
        Statement statement = beforeStatement(project, statuses, beforeId, limit);
        return database.withHandle(handle -> handle.createQuery(statement.sql()).bindMap(statement.binds())
                .map(rows).list());
    }

    private static Statement beforeStatement(ProjectId project, Set<JobStatus> statuses, JobId beforeId, int limit) {
        Map<String, Object> binds = new java.util.HashMap<>();
        binds.put("project", project.value());
        if (beforeId != null) {
            binds.put("before", beforeId.value());
        }
        return new Statement(SELECT + "WHERE project_id = :project" + statusFilter(statuses)
                + (beforeId == null ? "" : " AND id < :before") + projectOrder(statuses) + Paging.limit(limit),
                binds, true);
    }

    @Override
    public List<Job> listForPipeline(PipelineId pipeline, Set<JobStatus> statuses, boolean includeRetried,
                                     long offset, int limit) {
        String sql = SELECT + "WHERE pipeline_id = :pipeline" + statusFilter(statuses) + retriedFilter(includeRetried)
                + " ORDER BY pipeline_id, id DESC" + Paging.limitOffset(limit, offset);
        return database.withHandle(handle -> handle.createQuery(sql)
                .bind("pipeline", pipeline.value()).map(rows).list());
    }

    @Override
    public long countForPipeline(PipelineId pipeline, Set<JobStatus> statuses, boolean includeRetried) {
        String sql = "SELECT COUNT(*) FROM jobs WHERE pipeline_id = :pipeline" + statusFilter(statuses)
                + retriedFilter(includeRetried);
        return database.withHandle(handle -> handle.createQuery(sql)
                .bind("pipeline", pipeline.value()).mapTo(Long.class).one());
    }

    /**
     * A page of a search, read the cheapest of three ways, decided per request:
     * <ol>
     *   <li>through the index of one of its filters, when that filter matches few rows (each filter with an index of
     *       its own is probed: its rows counted through that index, up to {@link #PROBE_CAP}); in id order, a
     *       filter's index ending in the id is read in order and stops at the page's end however many rows it has;
     *   <li>else by walking the index of the list's order, where rows come in order and the filters only skip some —
     *       but no further than {@link #WALK_BUDGET} index entries ahead: a walk can be long where the filter's rows
     *       lie far down the order (jobs created in the last hour, walked oldest first), which no statistics tell;
     *   <li>a walk that did not fill the page there falls back to the rows of the filter with the fewest rows,
     *       sorted, when they are fewer than {@link #FALLBACK_CAP}; else it walks on from where it stopped.
     * </ol>
     * A sha filter first reads the project's pipelines of that commit (few, by index).
     */
    @Override
    public List<Job> search(ProjectId project, JobFilter filter, JobOrdering ordering, SortKey after, long offset,
                            int limit) {
        if (gitLabsList(filter, ordering) && (after == null || offset == 0)) {
            // GitLab's own list, newest first by scope alone: its offset pages as a deferred join (ids from the
            // index, then rows by key), which a page 50,000 deep needs
            return after == null && offset > 0 ? listForProject(project, filter.statuses(), offset, limit)
                    : listForProjectBefore(project, filter.statuses(), after == null ? null : JobId.of(after.id()),
                    limit);
        }
        return database.inSession(() -> database.withHandle(handle -> {
            Position position = unfinishedById(handle, project, filter, ordering, after, null);
            return searchSql(handle, project, filter, position.ordering(), position.after())
                    .map(sql -> run(handle, sql, project, filter, position.ordering(), offset, limit, null))
                    .orElse(List.of());
        }));
    }

    /** An order and a keyset position in it. */
    private record Position(JobOrdering ordering, SortKey after) {
    }

    /**
     * The same list in id order, when the search is by finish time or duration and its status filter names only
     * statuses of unfinished jobs ({@code scope[]=pending&scope[]=running}) of which no job of the project has a finish
     * time: then every match has the same sort value, the one that sorts last ({@link JobOrder#none}), so the order is
     * the id's in the same direction, which the status index (or the id walk) yields without sorting. Whether a job of
     * such a status has a finish time after all (nothing in {@link Job} forbids it) is one seek of
     * {@code jobs_project_status_finished_idx} per status; if one has, the search stays as it was. A keyset position
     * at that shared value continues by id; one before it (another value, which no match has) starts at the list's
     * beginning.
     *
     * @param explain null to run the seeks; else they are added to it and the id order is assumed to apply
     */
    private Position unfinishedById(Handle handle, ProjectId project, JobFilter filter, JobOrdering ordering,
                                    SortKey after, List<Statement> explain) {
        Position unchanged = new Position(ordering, after);
        if (!shortcuts || !ordering.by().hasNone() || filter.statuses().isEmpty()
                || filter.statuses().stream().anyMatch(JobStatus::isComplete)) {
            return unchanged;
        }
        boolean h2 = database.dialect() == Dialect.H2;
        for (JobStatus status : filter.statuses()) {
            String sql = JobSearchSql.finishedOfStatus(h2, status);
            if (explain != null) {
                explain.add(new Statement(sql, Map.of("project", project.value()), false));
            } else if (handle.createQuery(sql).addCustomizer(CUSTOM_PLANS).bind("project", project.value())
                    .mapTo(Integer.class).findOne().isPresent()) {
                return unchanged;
            }
        }
        JobOrdering byId = new JobOrdering(JobOrder.ID, ordering.ascending());
        boolean continues = after != null && after.value() == JobOrder.none(ordering.ascending());
        return new Position(byId, continues ? new SortKey(after.id(), after.id()) : null);
    }

    private static boolean gitLabsList(JobFilter filter, JobOrdering ordering) {
        return ordering.equals(JobOrdering.NEWEST_FIRST)
                && filter.equals(JobFilter.builder().statuses(filter.statuses()).build());
    }

    /**
     * A statement and its named values.
     *
     * @param walksInOrder whether it reads an index in the list's order (and stops at the page's end) rather than
     *                     sorting what a filter's index found
     */
    record Statement(String sql, Map<String, Object> binds, boolean walksInOrder) {
    }

    /** Whether to read a filter's index first ({@code driver}), or walk and then fall back to {@code fallback}. */
    /**
     * @param boundedRead whether {@code driver} is read like the order walk ({@link #boundedDriverPage}): its rows
     *                    reached the probe's cap and other filters pick among them
     */
    private record Choice(JobSearchSql.Driver driver, JobSearchSql.Driver fallback, boolean boundedRead) {
        Choice(JobSearchSql.Driver driver, JobSearchSql.Driver fallback) {
            this(driver, fallback, false);
        }
    }

    /**
     * The statements {@link #search} may run for these arguments, in order (the probes and the sha lookup aside):
     * empty when the search needs none (a sha no pipeline has). Tests read the databases' plans of exactly these.
     */
    List<Statement> pageStatements(ProjectId project, JobFilter filter, JobOrdering ordering, SortKey after,
                                   long offset, int limit) {
        if (gitLabsList(filter, ordering) && offset == 0) {
            return List.of(beforeStatement(project, filter.statuses(), after == null ? null : JobId.of(after.id()),
                    limit));
        }
        return database.withHandle(handle -> {
            List<Statement> statements = new ArrayList<>();
            Position position = unfinishedById(handle, project, filter, ordering, after, statements);
            searchSql(handle, project, filter, position.ordering(), position.after())
                    .ifPresent(sql -> run(handle, sql, project, filter, position.ordering(), offset, limit,
                            statements));
            return statements;
        });
    }

    /** @param explain null to run the search; else the statements are added to it and the pages are not read */
    private List<Job> run(Handle handle, JobSearchSql sql, ProjectId project, JobFilter filter, JobOrdering ordering,
                          long offset, int limit, List<Statement> explain) {
        Choice choice = choose(handle, sql, ordering);
        boolean byId = ordering.by() == JobOrder.ID;
        if (choice.driver() != null) {
            boolean inOrder = byId && choice.driver().sortsById();
            if (inOrder && choice.boundedRead() && offset == 0 && !choice.driver().joins()) {
                return boundedDriverPage(handle, sql, choice.driver(), limit, explain);
            }
            return rows(handle, new Statement(sql.page(choice.driver(), offset, limit), sql.binds(), inOrder),
                    explain);
        }
        if (offset == 0 && sql.pagesThroughArtifacts()) {
            Optional<List<Job>> page = pageThroughArtifacts(handle, sql, limit, explain);
            if (page.isPresent()) {
                return page.get();
            }
        }
        JobSearchSql.Driver walk = sql.walkDriver();
        Statement plainWalk = new Statement(sql.page(walk, offset, limit), sql.binds(), true);
        if (offset > 0) {
            return rows(handle, plainWalk, explain);
        }
        Optional<SortKey> boundary = position(handle, sql, sql.boundary(walk, walkBudget), true, explain);
        if (boundary.isEmpty()) {
            return rows(handle, plainWalk, explain);
        }
        List<Job> found = new ArrayList<>(rows(handle,
                new Statement(sql.boundedPage(walk, boundary.get(), limit), sql.binds(), true), explain));
        if (explain == null && found.size() >= limit) {
            return found;
        }
        if (choice.fallback() != null && handle.createQuery(sql.probe(choice.fallback(), fallbackCap))
                .addCustomizer(CUSTOM_PLANS)
                .bindMap(sql.binds()).mapTo(Long.class).one() < fallbackCap) {
            return rows(handle, new Statement(sql.page(choice.fallback(), 0, limit), sql.binds(),
                    byId && choice.fallback().sortsById()), explain);
        }
        return walkOn(handle, sql, walk, found, boundary.get(), limit, explain, from -> byId
                ? startOfRows(handle, sql, from, walkBudget, explain) : startInOrder(handle, sql, walk, from, explain));
    }

    /**
     * The rest of a page whose bounded read found {@code found}: on through {@code driver} past {@code boundary}, or,
     * when the bounded read found nothing (the rows may lie far down the list: jobs created in the last tenth, listed
     * oldest first), from where {@code start} says the filters' rows begin — nowhere (empty) when a filter has none.
     */
    private List<Job> walkOn(Handle handle, JobSearchSql sql, JobSearchSql.Driver driver, List<Job> found,
                             SortKey boundary, int limit, List<Statement> explain,
                             Function<SortKey, Optional<SortKey>> start) {
        SortKey from = boundary;
        if (found.isEmpty()) {
            Optional<SortKey> begin = start.apply(boundary);
            if (begin.isEmpty()) {
                return found;
            }
            from = begin.get();
        }
        JobSearchSql rest = sql.after(from);
        found.addAll(rows(handle, new Statement(rest.page(driver, 0, Math.max(1, limit - found.size())),
                rest.binds(), true), explain));
        return found;
    }

    /**
     * A page by id read through a filter's index in id order whose rows are many ({@code driver}), while other filters
     * pick among them: like the order walk, first no further than {@link #DRIVER_BUDGET} of the driver's entries; if
     * those held no row, on from where the other filters' rows start ({@link #startOfRows}). The jobs of one stage
     * finished in the last tenth, listed oldest first, otherwise read every job of the stage before them (2.7 s a page
     * at 1,000,000 jobs); one user's jobs created in the last tenth, 130 ms.
     */
    private List<Job> boundedDriverPage(Handle handle, JobSearchSql sql, JobSearchSql.Driver driver, int limit,
                                        List<Statement> explain) {
        Optional<SortKey> boundary = position(handle, sql, sql.boundary(driver, driverBudget), false, explain);
        Statement plain = new Statement(sql.page(driver, 0, limit), sql.binds(), true);
        if (boundary.isEmpty()) {
            return rows(handle, plain, explain);
        }
        List<Job> found = new ArrayList<>(rows(handle,
                new Statement(sql.boundedPage(driver, boundary.get(), limit), sql.binds(), true), explain));
        if (explain == null && found.size() >= limit) {
            return found;
        }
        return walkOn(handle, sql, driver, found, boundary.get(), limit, explain,
                from -> startOfRows(handle, sql, from, driverBudget, explain));
    }

    /**
     * The position a statement selecting {@code sort_value} and {@code id} finds (a boundary, an index entry), if any.
     * Run in explain mode too (the statements after it depend on it), where it is also added, with
     * {@code walksInOrder}.
     */
    private Optional<SortKey> position(Handle handle, JobSearchSql sql, String statement, boolean walksInOrder,
                                       List<Statement> explain) {
        if (explain != null) {
            explain.add(new Statement(statement, Map.copyOf(sql.binds()), walksInOrder));
        }
        JobOrdering ordering = sql.ordering();
        return handle.createQuery(statement).addCustomizer(CUSTOM_PLANS).bindMap(sql.binds())
                .map((rs, ctx) -> new SortKey(sortValue(rs, ordering), rs.getLong("id"))).findOne();
    }

    /**
     * The position to walk a list by id on from, past {@code boundary}: the furthest of the places where the
     * candidate filters' rows start ({@link JobSearchSql#edgeId}), since a row passing every filter lies past each of
     * them. Empty when a filter has no row at all (nothing can match); {@code boundary} when no filter tells more.
     */
    private Optional<SortKey> startOfRows(Handle handle, JobSearchSql sql, SortKey boundary, int budget,
                                          List<Statement> explain) {
        boolean ascending = sql.ascending();
        IdEdge edge = idEdge(handle, sql, boundary.id(), budget, explain);
        if (edge.noRows()) {
            return Optional.empty();
        }
        if (edge.id() == null) {
            return Optional.of(boundary);
        }
        // the position just before the first row, in the list's direction
        long before = ascending ? edge.id() - 1 : edge.id() + 1;
        return Optional.of(SortKey.ofId(ascending ? Math.max(boundary.id(), before) : Math.min(boundary.id(), before)));
    }

    /**
     * The same for a list in another order ({@code walk} walks its index): the first entry of that index past
     * {@code boundary} whose id is on the rows' side of {@link #idEdge} — found among the index's own entries, no row
     * read, where the walk would have read every job before it (3 s a page at 1,000,000 jobs on H2 for jobs created
     * in the last tenth listed by update time, oldest first). Every row passing the filters lies at or past it.
     */
    private Optional<SortKey> startInOrder(Handle handle, JobSearchSql sql, JobSearchSql.Driver walk,
                                           SortKey boundary, List<Statement> explain) {
        IdEdge edge = idEdge(handle, sql, boundary.id(), walkBudget, explain);
        if (edge.noRows()) {
            return Optional.empty();
        }
        if (edge.id() == null && (explain == null || !edge.told())) {
            return Optional.of(boundary);
        }
        JobSearchSql past = sql.after(boundary);
        // explained: the boundary's id stands in for the edge no statement was run to find
        past.binds().put("edge_id", edge.id() == null ? boundary.id() : edge.id());
        Optional<SortKey> first = position(handle, past, past.firstEntryFrom(walk), true, explain);
        if (explain != null) {
            return Optional.of(boundary);
        }
        // just before that entry: ids are whole numbers, so nothing lies between the two positions
        boolean ascending = sql.ascending();
        return first.map(entry -> new SortKey(entry.value(), ascending ? entry.id() - 1 : entry.id() + 1));
    }

    /**
     * Where the candidate filters' rows start in id order ({@link JobSearchSql#edgeId}): the furthest of their starts
     * (the lowest id a row passing all of them can have when the list ascends, the highest when it descends), null
     * when no filter tells, or no rows when one has none. In explain mode the statements are added and only the time
     * ranges' few-id samples ({@link JobSearchSql#nearIds}) run, as whether to ask the range at all depends on them.
     */
    private IdEdge idEdge(Handle handle, JobSearchSql sql, long boundaryId, int budget, List<Statement> explain) {
        boolean ascending = sql.ascending();
        Long furthest = null;
        boolean told = false;
        for (JobSearchSql.Driver candidate : sql.candidates()) {
            String edge = sql.edgeId(candidate);
            if (edge == null) {
                continue;
            }
            String near = sql.nearIds(candidate, NEAR_SAMPLE);
            if (near != null) {
                if (explain != null) {
                    explain.add(new Statement(near, Map.copyOf(sql.binds()), true));
                }
                List<Long> ids = handle.createQuery(near).addCustomizer(CUSTOM_PLANS).bindMap(sql.binds())
                        .mapTo(Long.class).list();
                if (ids.isEmpty()) {
                    return new IdEdge(true, null, true);
                }
                long closest = ascending ? Collections.min(ids) : Collections.max(ids);
                if (explain == null && Math.abs(closest - boundaryId) <= (long) NEAR_BUDGETS * budget) {
                    // the range's rows begin close by: walking on is cheaper than a pass over the range
                    continue;
                }
            }
            told = true;
            if (explain != null) {
                explain.add(new Statement(edge, Map.copyOf(sql.binds()), false));
                continue;
            }
            Optional<Long> first = handle.createQuery(edge).addCustomizer(CUSTOM_PLANS).bindMap(sql.binds())
                    .mapTo(Long.class).findFirst().filter(Objects::nonNull);
            if (first.isEmpty()) {
                return new IdEdge(true, null, true);
            }
            furthest = furthest == null ? first.get()
                    : ascending ? Math.max(furthest, first.get()) : Math.min(furthest, first.get());
        }
        return new IdEdge(false, furthest, told);
    }

    /**
     * See {@link #idEdge}.
     *
     * @param told whether some filter could tell where its rows start (in explain mode none was asked)
     */
    private record IdEdge(boolean noRows, Long id, boolean told) {
    }

    /**
     * A page of jobs with artifacts listed by id, found through the artifacts' index in job id order
     * ({@code job_artifacts_project_job_idx}): batches of ids, then those jobs by key with every other filter, until
     * the page is full. Walking the jobs instead asks every job whether it has artifacts, and where few have (2 % of
     * 1,000,000 here, none among the newest, unfinished ones) that was thousands of jobs per page (7 ms median, 12.5 ms
     * of CPU). Empty when the other filters let too few of the batches' jobs through: the walk takes over.
     */
    private Optional<List<Job>> pageThroughArtifacts(Handle handle, JobSearchSql sql, int limit,
                                                     List<Statement> explain) {
        int batch = Math.max(ARTIFACT_BATCH, 2 * limit);
        if (explain != null) {
            Map<String, Object> binds = new LinkedHashMap<>(sql.binds());
            if (sql.afterId() != null) {
                binds.put("artifacts_after", sql.afterId());
            }
            explain.add(new Statement(sql.artifactJobIds(sql.afterId() != null, batch), Map.copyOf(binds), true));
            binds.putAll(JobSearchSql.idSlots(List.of(1L, 2L), batch));
            // a few rows by key, sorted
            explain.add(new Statement(sql.jobsByIds(batch, limit), Map.copyOf(binds), false));
            return Optional.empty();
        }
        List<Job> found = new ArrayList<>(limit);
        Long afterId = sql.afterId();
        for (int round = 0; round < ARTIFACT_ROUNDS; round++) {
            var idsQuery = handle.createQuery(sql.artifactJobIds(afterId != null, batch)).addCustomizer(CUSTOM_PLANS)
                    .bindMap(sql.binds());
            if (afterId != null) {
                idsQuery.bind("artifacts_after", afterId.longValue());
            }
            List<Long> ids = idsQuery.mapTo(Long.class).list();
            if (ids.isEmpty()) {
                return Optional.of(found);
            }
            found.addAll(handle.createQuery(sql.jobsByIds(batch, limit - found.size())).addCustomizer(CUSTOM_PLANS)
                    .bindMap(sql.binds()).bindMap(JobSearchSql.idSlots(new LinkedHashSet<>(ids), batch))
                    .map(rows).list());
            if (found.size() >= limit || ids.size() < batch) {
                return Optional.of(found);
            }
            afterId = ids.get(ids.size() - 1);
        }
        return Optional.empty();
    }

    private List<Job> rows(Handle handle, Statement statement, List<Statement> explain) {
        if (explain != null) {
            explain.add(new Statement(statement.sql(), Map.copyOf(statement.binds()), statement.walksInOrder()));
            return List.of();
        }
        return handle.createQuery(statement.sql()).addCustomizer(CUSTOM_PLANS).bindMap(statement.binds()).map(rows)
                .list();
    }

    private static long sortValue(java.sql.ResultSet rs, JobOrdering ordering) throws java.sql.SQLException {
        return switch (ordering.by()) {
            case CREATED_AT, UPDATED_AT -> JobOrder.micros(Values.instant(rs, "sort_value"));
            default -> rs.getLong("sort_value");
        };
    }

    @Override
    public long count(ProjectId project, JobFilter filter) {
        return database.withHandle(handle -> searchSql(handle, project, filter, JobOrdering.NEWEST_FIRST, null)
                .map(sql -> handle.createQuery(sql.count()).addCustomizer(CUSTOM_PLANS).bindMap(sql.binds())
                        .mapTo(Long.class).one())
                .orElse(0L));
    }

    private Optional<JobSearchSql> searchSql(Handle handle, ProjectId project, JobFilter filter,
                                             JobOrdering ordering, SortKey after) {
        List<Long> shaPipelines = null;
        if (filter.sha() != null) {
            shaPipelines = handle.createQuery("SELECT id FROM pipelines WHERE project_id = :project AND sha = :sha"
                            + " ORDER BY project_id, sha, id" + Paging.limit(MAX_SHA_PIPELINES + 1))
                    .bind("project", project.value()).bind("sha", filter.sha()).mapTo(Long.class).list();
            if (shaPipelines.isEmpty()) {
                return Optional.empty();
            }
            if (shaPipelines.size() > MAX_SHA_PIPELINES) {
                // More pipelines of one commit than a list should hold: let the database join them.
                shaPipelines = null;
            }
        }
        return Optional.of(new JobSearchSql(database.dialect() == Dialect.H2, project, filter, shaPipelines, ordering,
                after).joins(shortcuts));
    }

    /**
     * Which filter's index to read, if any (see {@link #search}). Both databases are told: PostgreSQL's statistics do
     * not know where a filter's rows lie in an order (its plans walk an order's index expecting matches as often as
     * the filter's selectivity says, and read far more where they are clustered), and H2's planner prefers any index
     * with an equality condition and then sorts all its rows.
     */
    private Choice choose(Handle handle, JobSearchSql sql, JobOrdering ordering) {
        List<JobSearchSql.Driver> candidates = sql.candidates();
        if (candidates.isEmpty()) {
            return new Choice(null, null);
        }
        boolean byId = ordering.by() == JobOrder.ID;
        if (byId && candidates.size() == 1 && candidates.get(0).sortsById()) {
            return new Choice(candidates.get(0), null);
        }
        JobSearchSql.Driver best = null;
        long fewest = Long.MAX_VALUE;
        for (JobSearchSql.Driver candidate : candidates) {
            long reached = handle.createQuery(sql.probe(candidate, probeCap(fewest))).addCustomizer(CUSTOM_PLANS)
                    .bindMap(sql.binds())
                    .mapTo(Long.class).one();
            boolean better = reached < fewest
                    || reached == fewest && byId && candidate.sortsById() && !best.sortsById();
            if (better) {
                best = candidate;
                fewest = reached;
            }
        }
        if (fewest < probeCap || byId && best.sortsById()) {
            return new Choice(best, null, fewest >= probeCap && candidates.size() > 1);
        }
        return new Choice(null, best);
    }

    /**
     * How far to count the next filter's rows when the fewest so far is {@code fewest}: just past it (a filter that
     * reaches this has more rows and loses; one with as many still ties), rounded up to a power of two so that the
     * probes' texts stay few in the statement caches. A pipeline's 20 jobs thus spare counting 2,000 rows of a name
     * glob that matches a fifth of a million jobs (8 ms of CPU per page at 1,000,000 jobs, on every request).
     */
    int probeCap(long fewest) {
        if (fewest >= probeCap) {
            return probeCap;
        }
        long justPast = Math.max(MIN_PROBE_CAP, fewest + 1);
        return (int) Math.min(probeCap, Long.highestOneBit(justPast - 1) << 1);
    }

    @Override
    public Optional<Job> findLatestByName(PipelineId pipeline, String name) {
        return database.withHandle(handle -> handle.createQuery(SELECT
                        + "WHERE pipeline_id = :pipeline AND name = :name AND retried = FALSE "
                        + "ORDER BY pipeline_id, name, id DESC"
                        + Paging.limit(1))
                .bind("pipeline", pipeline.value()).bind("name", name).map(rows).findOne());
    }

    @Override
    public Optional<Job> findByTokenDigest(String digest) {
        if (digest == null) {
            return Optional.empty();
        }
        return database.withHandle(handle -> handle.createQuery(SELECT + "WHERE token_digest = :digest")
                .bind("digest", digest).map(rows).findOne())
                .filter(job -> Digests.equal(job.tokenDigest(), digest));
    }

    @Override
    public long countPending() {
        return database.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM jobs WHERE status = :status")
                .bind("status", JobStatus.PENDING.code()).mapTo(Long.class).one());
    }

    @Override
    public List<Job> findPending(int limit) {
        return database.withHandle(handle -> handle.createQuery(SELECT
                        + "WHERE status = :status ORDER BY status, id" + Paging.limit(limit))
                .bind("status", JobStatus.PENDING.code()).map(rows).list());
    }

    /**
     * Claims the oldest pending job the runner can take, in one transaction that locks only the candidate it is about
     * to take and skips candidates other claims hold ({@code FOR UPDATE SKIP LOCKED}, on PostgreSQL and H2 alike):
     * concurrent runners, on any number of instances, spread over the queue instead of waiting for each other. The
     * update stays conditional on the lock version, so a job changed since (canceled, say) is never handed out.
     *
     * <p>The pages of candidates are read without locks. H2 applies {@code LIMIT} before it skips locked rows, so a
     * page read {@code FOR UPDATE SKIP LOCKED} comes back short, even empty, while another claim holds its rows — and a
     * short page would end the scan and answer "no job" with pending jobs left.
     */
    @Override
    public Optional<Job> claimPending(Predicate<Job> runnerCanTake, UnaryOperator<Job> toRunning) {
        return database.inTransaction(handle -> {
            long after = 0;
            int scanned = 0;
            while (scanned < CLAIM_SCAN_LIMIT) {
                List<Job> page = handle.createQuery(SELECT + "WHERE status = :status AND id > :after "
                                + "ORDER BY status, id" + Paging.limit(CLAIM_PAGE))
                        .bind("status", JobStatus.PENDING.code()).bind("after", after)
                        .map(rows).list();
                for (Job candidate : page) {
                    if (!runnerCanTake.test(candidate)) {
                        continue;
                    }
                    // Empty when another claim holds the row or has taken the job since the page was read.
                    Optional<Job> locked = handle.createQuery(SELECT + "WHERE id = :id AND status = :status "
                                    + "FOR UPDATE SKIP LOCKED")
                            .bind("id", candidate.id().value()).bind("status", JobStatus.PENDING.code())
                            .map(rows).findOne();
                    if (locked.isPresent() && runnerCanTake.test(locked.get())) {
                        return Optional.of(update(handle, toRunning.apply(locked.get())));
                    }
                }
                if (page.size() < CLAIM_PAGE) {
                    return Optional.<Job>empty();
                }
                after = page.get(page.size() - 1).id().value();
                scanned += page.size();
            }
            return Optional.<Job>empty();
        });
    }

    @Override
    public List<Job> findScheduledBefore(Instant now, int limit) {
        return database.withHandle(handle -> handle.createQuery(SELECT
                        + "WHERE status = :status AND scheduled_at <= :now ORDER BY status, scheduled_at, id"
                        + Paging.limit(limit))
                .bind("status", JobStatus.SCHEDULED.code()).bind("now", Values.instant(now))
                .map(rows).list());
    }

    @Override
    public List<Job> findRunningNotUpdatedSince(Instant before, int limit) {
        return database.withHandle(handle -> handle.createQuery(SELECT
                        + "WHERE status = :status AND updated_at < :before ORDER BY status, updated_at, id"
                        + Paging.limit(limit))
                .bind("status", JobStatus.RUNNING.code()).bind("before", Values.instant(before))
                .map(rows).list());
    }

    /**
     * The status condition with the codes inlined: they are enum integers, not input, and a literal list lets the
     * planner pick the (project_id, status, id) index.
     */
    static String statusFilter(Set<JobStatus> statuses) {
        if (statuses == null || statuses.isEmpty()) {
            return "";
        }
        String codes = statuses.stream().map(JobStatus::code).sorted().map(String::valueOf)
                .collect(Collectors.joining(", "));
        return statuses.size() == 1 ? " AND status = " + codes : " AND status IN (" + codes + ")";
    }

    /**
     * Newest first, spelled with the equality columns of the index that serves it: (project_id, status, id DESC) for
     * one status, (project_id, id DESC) otherwise. H2 reads an index in order (and stops at the limit) only when the
     * ORDER BY names its leading columns; the constant columns change nothing in the result.
     */
    private static String projectOrder(Set<JobStatus> statuses) {
        return statuses != null && statuses.size() == 1
                ? " ORDER BY project_id, status, id DESC"
                : " ORDER BY project_id, id DESC";
    }

    private static String retriedFilter(boolean includeRetried) {
        return includeRetried ? "" : " AND retried = FALSE";
    }
}
