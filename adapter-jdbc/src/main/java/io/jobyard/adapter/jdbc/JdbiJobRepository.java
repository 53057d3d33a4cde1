package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.JobRepository;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Jobs in the {@code jobs} table; every update is conditional on the lock version that was read. */
public final class JdbiJobRepository implements JobRepository {
    /** How many pending jobs one claim looks at before telling the runner there is nothing for it. */
    static final int CLAIM_SCAN_LIMIT = 1_000;
    private static final int CLAIM_PAGE = 25;

    private static final String SELECT = "SELECT " + JobRows.COLUMNS + " FROM jobs ";

    private final Database database;
    private final JobRows rows;

    JdbiJobRepository(Database database, VariableColumns variables) {
        this.database = database;
        this.rows = new JobRows(variables);
    }

    @Override
    public JobId nextId() {
        return JobId.of(database.nextValue("job_id_seq"));
    }

    @Override
    public Job insert(Job job) {
        return database.withHandle(handle -> {
            rows.bind(handle.createUpdate(JobRows.INSERT), job).execute();
            return JobRows.stored(job);
        });
    }

    /** One batch (one round trip per driver batch) in one transaction: pipeline creation and bulk loads. */
    @Override
    public List<Job> insertAll(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        return database.inTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch(JobRows.INSERT);
            for (Job job : jobs) {
                rows.bind(batch, job).add();
            }
            batch.execute();
            return jobs.stream().map(JobRows::stored).toList();
        });
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
        String sql = SELECT + "WHERE project_id = :project" + statusFilter(statuses)
                + (beforeId == null ? "" : " AND id < :before") + projectOrder(statuses) + Paging.limit(limit);
        return database.withHandle(handle -> handle.createQuery(sql)
                .bind("project", project.value()).bind("before", beforeId == null ? null : beforeId.value())
                .map(rows).list());
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
