package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A job search ({@code JobRepository.search}) as SQL: the conditions of a {@link JobFilter}, the order of a
 * {@link JobOrdering} with its keyset position, and the table access that serves them (a {@link Driver}).
 *
 * <p>Every condition is an equality or a range on a column of {@code jobs}, or an {@code EXISTS} on {@code job_tags} or
 * {@code job_artifacts} by primary key; values are bound, except status codes, which are enum integers inlined so the
 * planner sees them (as {@link JdbiJobRepository#statusFilter} does). The ORDER BY always ends in the id, so equal sort
 * values page deterministically, and starts with the columns the driving index is equal on: H2 reads an index in order
 * (and stops at the LIMIT) only when the ORDER BY names its leading columns; PostgreSQL ignores constant columns.
 */
final class JobSearchSql {
    /** Tags longer than this are not in {@code job_tags} (V40); the HTTP layer refuses longer values. */
    static final int MAX_TAG_LENGTH = V41__Job_tags.MAX_TAG_LENGTH;

    /**
     * How the rows are reached. {@link #ORDER} walks the index of the ordering (every filter then checks the rows it
     * passes); the others read the rows of one filter through that filter's index, which is in id order (so in the
     * list's order when the list is ordered by id) or is sorted afterwards.
     *
     * @param index        the index, named for H2's {@code USE INDEX}; null lets the database choose
     * @param from         the FROM clause ({@code jobs j}, or a join from the table the filter lives in)
     * @param orderPrefix  equality columns of the index to put first in the ORDER BY (empty for none)
     * @param idColumn     the column the index holds the job id in, for the ORDER BY
     * @param sortsById    whether the index yields rows in id order
     */
    record Driver(String name, String index, String from, String orderPrefix, String idColumn, boolean sortsById) {
        static final Driver ORDER = new Driver("order", null, "jobs j", "j.project_id, ", "j.id", false);
    }

    private final JobFilter filter;
    private final JobOrdering ordering;
    private final SortKey after;
    private final List<Long> shaPipelines;
    private final Map<String, Object> binds = new LinkedHashMap<>();
    private final List<String> conditions = new ArrayList<>();

    /**
     * @param shaPipelines the project's pipelines of {@code filter.sha()}, looked up beforehand (never empty: a sha
     *                     without pipelines matches nothing and needs no query); null without a sha filter, or to
     *                     have the database look them up (a commit with very many pipelines)
     */
    JobSearchSql(ProjectId project, JobFilter filter, List<Long> shaPipelines, JobOrdering ordering, SortKey after) {
        this.filter = filter;
        this.ordering = ordering;
        this.after = after;
        this.shaPipelines = shaPipelines;
        binds.put("project", project.value());
        conditions.add("j.project_id = :project");
        addFilterConditions();
        if (after != null) {
            bindKeyset();
        }
    }

    Map<String, Object> binds() {
        return binds;
    }

    // ----------------------------------------------------------------------------------------------- statements

    /** A page of job rows through {@code driver}; {@code useIndex} adds H2's index hint. */
    String page(Driver driver, boolean useIndex, long offset, int limit) {
        return "SELECT " + JobRows.J_COLUMNS + " FROM " + from(driver, useIndex) + where(driver)
                + orderBy(driver) + Paging.limitOffset(limit, offset);
    }

    String count() {
        return "SELECT COUNT(*) FROM jobs j" + where(Driver.ORDER);
    }

    /**
     * How many rows {@code driver}'s filter alone reaches, counting no further than {@code cap}: what reading through
     * it costs. Only the index's own columns are read.
     */
    String probe(Driver driver, boolean useIndex, int cap) {
        return "SELECT COUNT(*) FROM (SELECT 1 FROM " + from(driver, useIndex) + " WHERE "
                + String.join(" AND ", driverConditions(driver)) + Paging.limit(cap) + ") reached";
    }

    private String from(Driver driver, boolean useIndex) {
        if (!useIndex || driver.index() == null) {
            return driver.from();
        }
        // H2's hint follows the table it applies to; the driving table is the first one of the FROM clause.
        String[] parts = driver.from().split(" ", 3);
        return parts[0] + " " + parts[1] + " USE INDEX (" + driver.index() + ")"
                + (parts.length > 2 ? " " + parts[2] : "");
    }

    private String where(Driver driver) {
        List<String> all = new ArrayList<>(conditions);
        all.addAll(driverOnlyConditions(driver));
        if (after != null) {
            all.add(keysetCondition(driver));
        }
        return " WHERE " + String.join(" AND ", all);
    }

    private String orderBy(Driver driver) {
        String direction = ordering.ascending() ? "" : " DESC";
        if (ordering.by() == JobOrder.ID) {
            if (driver == Driver.ORDER || driver.sortsById()) {
                return " ORDER BY " + driver.orderPrefix() + driver.idColumn() + direction;
            }
            return " ORDER BY j.id" + direction;
        }
        String column = sortColumn(ordering.by());
        String prefix = driver == Driver.ORDER ? driver.orderPrefix() : "";
        return " ORDER BY " + prefix + column + direction + ", j.id" + direction;
    }

    // -------------------------------------------------------------------------------------------------- drivers

    /**
     * The drivers this search could use besides {@link Driver#ORDER}: one per equality filter that has an index, the
     * pipeline for pipeline and sha filters, and the time range of a filter on another column than the order's.
     */
    List<Driver> candidates() {
        List<Driver> drivers = new ArrayList<>();
        if (filter.pipeline() != null || shaPipelines != null) {
            drivers.add(new Driver("pipeline", "jobs_pipeline_id_idx", "jobs j", "j.pipeline_id, ", "j.id",
                    filter.pipeline() != null && shaPipelines == null));
        }
        if (filter.statuses().size() == 1) {
            drivers.add(equality("status", "jobs_project_status_id_idx", "j.status"));
        }
        if (filter.name() != null && !filter.name().startsWith("*")) {
            // a glob with a literal start is a range of the name index; one starting with * is not
            drivers.add(new Driver(filter.nameIsGlob() ? "name-prefix" : "name", "jobs_project_name_idx", "jobs j",
                    "j.project_id, j.name, ", "j.id", !filter.nameIsGlob()));
        }
        if (filter.stage() != null) {
            drivers.add(equality("stage", "jobs_project_stage_idx", "j.stage"));
        }
        if (filter.ref() != null) {
            drivers.add(equality("ref", "jobs_project_ref_idx", "j.ref"));
        }
        if (filter.user() != null) {
            drivers.add(equality("user", "jobs_project_user_idx", "j.user_id"));
        }
        if (filter.runner() != null) {
            drivers.add(equality("runner", "jobs_project_runner_idx", "j.runner_id"));
        }
        if (filter.failureReason() != null) {
            drivers.add(equality("failure_reason", "jobs_project_failure_idx", "j.failure_reason"));
        }
        if (filter.source() != null) {
            drivers.add(equality("source", "jobs_project_source_idx", "j.pipeline_source"));
        }
        if (filter.tag() != null) {
            drivers.add(new Driver("tag", "job_tags_project_tag_job_idx", "job_tags t JOIN jobs j ON j.id = t.job_id",
                    "t.project_id, t.tag, ", "t.job_id", true));
        }
        if (filter.artifactType() != null) {
            drivers.add(new Driver("artifact_type", "job_artifacts_project_type_job_idx",
                    "job_artifacts a JOIN jobs j ON j.id = a.job_id", "a.project_id, a.file_type, ", "a.job_id",
                    true));
        }
        addRange(drivers, JobOrder.CREATED_AT, filter.createdAfter(), filter.createdBefore());
        addRange(drivers, JobOrder.UPDATED_AT, filter.updatedAfter(), filter.updatedBefore());
        addRange(drivers, JobOrder.FINISHED_AT, filter.finishedAfter(), filter.finishedBefore());
        return drivers;
    }

    private void addRange(List<Driver> drivers, JobOrder column, Instant after, Instant before) {
        if ((after != null || before != null) && ordering.by() != column) {
            drivers.add(new Driver(column.name().toLowerCase(java.util.Locale.ROOT), orderIndex(column), "jobs j",
                    "", "j.id", false));
        }
    }

    private static Driver equality(String name, String index, String column) {
        return new Driver(name, index, "jobs j", "j.project_id, " + column + ", ", "j.id", true);
    }

    /** The ordering's own driver: its index, walked in order. */
    Driver orderDriver() {
        return new Driver("order", orderIndex(ordering.by()), "jobs j", "j.project_id, ", "j.id", false);
    }

    static String orderIndex(JobOrder order) {
        return switch (order) {
            case ID -> "jobs_project_id_idx";
            case CREATED_AT -> "jobs_project_created_idx";
            case UPDATED_AT -> "jobs_project_updated_idx";
            case FINISHED_AT -> "jobs_project_finished_idx";
            case DURATION -> "jobs_project_duration_idx";
        };
    }

    /** The conditions a driver's index decides by itself (for its probe). */
    private List<String> driverConditions(Driver driver) {
        List<String> own = new ArrayList<>(driverOnlyConditions(driver));
        if (!own.isEmpty()) {
            return own;
        }
        own.add("j.project_id = :project");
        switch (driver.name()) {
            case "pipeline" -> own.add(pipelineCondition());
            case "status" -> own.add(statusCondition());
            case "name", "name-prefix" -> own.add(nameCondition());
            case "stage" -> own.add("j.stage = :stage");
            case "ref" -> own.add("j.ref = :ref");
            case "user" -> own.add("j.user_id = :user");
            case "runner" -> own.add("j.runner_id = :runner");
            case "failure_reason" -> own.add("j.failure_reason = :failure_reason");
            case "source" -> own.add("j.pipeline_source = :source");
            case "created_at" -> own.addAll(rangeConditions("j.created_at", filter.createdAfter(),
                    filter.createdBefore(), "created"));
            case "updated_at" -> own.addAll(rangeConditions("j.updated_at", filter.updatedAfter(),
                    filter.updatedBefore(), "updated"));
            case "finished_at" -> own.addAll(finishedConditions());
            default -> throw new IllegalArgumentException("no driver " + driver.name());
        }
        return own;
    }

    /** Conditions that exist only in a driver's form of the query: the join table's own columns. */
    private List<String> driverOnlyConditions(Driver driver) {
        return switch (driver.name()) {
            case "tag" -> List.of("t.project_id = :project", "t.tag = :tag");
            case "artifact_type" -> List.of("a.project_id = :project", "a.file_type = :artifact_type");
            default -> List.of();
        };
    }

    // ----------------------------------------------------------------------------------------------- conditions

    private void addFilterConditions() {
        if (!filter.statuses().isEmpty()) {
            conditions.add(statusCondition());
        }
        if (filter.name() != null) {
            binds.put("name", filter.nameIsGlob() ? likePattern(filter.name()) : filter.name());
            conditions.add(nameCondition());
        }
        equal("j.stage", "stage", filter.stage());
        equal("j.ref", "ref", filter.ref());
        if (filter.pipeline() != null || shaPipelines != null) {
            if (filter.pipeline() != null) {
                binds.put("pipeline", filter.pipeline().value());
            }
            conditions.add(pipelineCondition());
        }
        if (filter.sha() != null && shaPipelines == null) {
            binds.put("sha", filter.sha());
            conditions.add("j.pipeline_id IN (SELECT p.id FROM pipelines p WHERE p.project_id = :project"
                    + " AND p.sha = :sha)");
        }
        equal("j.user_id", "user", filter.user() == null ? null : filter.user().value());
        equal("j.runner_id", "runner", filter.runner() == null ? null : filter.runner().value());
        equal("j.failure_reason", "failure_reason",
                filter.failureReason() == null ? null : filter.failureReason().wireName());
        equal("j.pipeline_source", "source", filter.source() == null ? null : filter.source().wireName());
        if (filter.tag() != null) {
            binds.put("tag", filter.tag());
            conditions.add("EXISTS (SELECT 1 FROM job_tags jt WHERE jt.job_id = j.id AND jt.tag = :tag)");
        }
        if (filter.withArtifacts() != null) {
            conditions.add((filter.withArtifacts() ? "" : "NOT ") + "EXISTS (SELECT 1 FROM job_artifacts ja"
                    + " WHERE ja.job_id = j.id AND ja.file_type <> " + ArtifactFileType.TRACE.code() + ")");
        }
        if (filter.artifactType() != null) {
            binds.put("artifact_type", filter.artifactType().code());
            conditions.add("EXISTS (SELECT 1 FROM job_artifacts jx WHERE jx.job_id = j.id"
                    + " AND jx.file_type = :artifact_type)");
        }
        bindRange(filter.createdAfter(), filter.createdBefore(), "created");
        bindRange(filter.updatedAfter(), filter.updatedBefore(), "updated");
        conditions.addAll(rangeConditions("j.created_at", filter.createdAfter(), filter.createdBefore(), "created"));
        conditions.addAll(rangeConditions("j.updated_at", filter.updatedAfter(), filter.updatedBefore(), "updated"));
        if (filter.finishedAfter() != null || filter.finishedBefore() != null) {
            long from = filter.finishedAfter() == null ? Long.MIN_VALUE : JobOrder.micros(filter.finishedAfter());
            long to = filter.finishedBefore() == null ? JobOrder.NONE - 1
                    : Math.min(JobOrder.NONE - 1, JobOrder.micros(filter.finishedBefore()));
            binds.put("finished_after", from);
            binds.put("finished_before", to);
        }
        conditions.addAll(finishedConditions());
        if (!filter.includeRetried()) {
            conditions.add("j.retried = FALSE");
        }
    }

    private void equal(String column, String name, Object value) {
        if (value != null) {
            binds.put(name, value);
            conditions.add(column + " = :" + name);
        }
    }

    private String statusCondition() {
        Set<JobStatus> statuses = filter.statuses();
        String codes = statuses.stream().map(JobStatus::code).sorted().map(String::valueOf)
                .collect(Collectors.joining(", "));
        return statuses.size() == 1 ? "j.status = " + codes : "j.status IN (" + codes + ")";
    }

    private String nameCondition() {
        return filter.nameIsGlob() ? "j.name LIKE :name" + LikePatterns.ESCAPE : "j.name = :name";
    }

    private String pipelineCondition() {
        if (shaPipelines == null) {
            return "j.pipeline_id = :pipeline";
        }
        // Ids read from the database just before: numbers, not input.
        String ids = shaPipelines.stream().map(String::valueOf).collect(Collectors.joining(", "));
        String inSha = "j.pipeline_id IN (" + ids + ")";
        return filter.pipeline() == null ? inSha : inSha + " AND j.pipeline_id = :pipeline";
    }

    private void bindRange(Instant after, Instant before, String name) {
        if (after != null) {
            binds.put(name + "_after", Values.instant(after));
        }
        if (before != null) {
            binds.put(name + "_before", Values.instant(before));
        }
    }

    private static List<String> rangeConditions(String column, Instant after, Instant before, String name) {
        List<String> parts = new ArrayList<>();
        if (after != null) {
            parts.add(column + " >= :" + name + "_after");
        }
        if (before != null) {
            parts.add(column + " <= :" + name + "_before");
        }
        return parts;
    }

    /** On the sort value, so that the finished-at index serves it; unfinished jobs (the largest value) never match. */
    private List<String> finishedConditions() {
        if (filter.finishedAfter() == null && filter.finishedBefore() == null) {
            return List.of();
        }
        return List.of("j.finished_order >= :finished_after", "j.finished_order <= :finished_before");
    }

    /**
     * The rows after the position in the list's direction, as a row-value comparison, which both databases turn into
     * the start of an index range (so a page deep in the list costs what the first page costs).
     */
    private String keysetCondition(Driver driver) {
        String comparison = ordering.ascending() ? " > " : " < ";
        if (ordering.by() == JobOrder.ID) {
            // on the column the driving index holds the id in, so that the index range starts there
            return (driver.sortsById() ? driver.idColumn() : "j.id") + comparison + ":after_id";
        }
        return "(" + sortColumn(ordering.by()) + ", j.id)" + comparison + "(:after_value, :after_id)";
    }

    private void bindKeyset() {
        binds.put("after_id", after.id());
        if (ordering.by() != JobOrder.ID) {
            binds.put("after_value", switch (ordering.by()) {
                case CREATED_AT, UPDATED_AT -> Values.instant(JobOrder.instant(after.value()));
                default -> after.value();
            });
        }
    }

    static String sortColumn(JobOrder order) {
        return switch (order) {
            case ID -> "j.id";
            case CREATED_AT -> "j.created_at";
            case UPDATED_AT -> "j.updated_at";
            case FINISHED_AT -> "j.finished_order";
            case DURATION -> "j.duration_order";
        };
    }

    /** A name glob as a LIKE pattern: {@code *} is any run of characters, SQL's own wildcards are plain text. */
    static String likePattern(String glob) {
        return glob.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace('*', '%');
    }
}
