package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
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
    /**
     * How the rows are reached. The order walk reads the index of the ordering (every filter then checks the rows it
     * passes, and the walk stops at the page's end); the others read the rows of one filter through that filter's
     * index, which is in id order (so in the list's order when the list is ordered by id: {@code sortsById}) or is
     * sorted afterwards.
     *
     * @param index        the index of {@code jobs} to name in H2's {@code USE INDEX}; null lets the database choose
     * @param prefix       the index's leading columns, equal to constants here, to name first in the ORDER BY
     * @param idDescending whether the index holds the id descending (the indexes of V2) rather than ascending
     * @param sortsById    whether the index yields the rows in id order
     */
    record Driver(String name, String index, List<String> prefix, boolean idDescending, boolean sortsById) {
        /** The plain statement, for PostgreSQL's planner: the project's rows in the list's order. */
        static final Driver ORDER = new Driver("order", null, List.of("j.project_id"), false, false);

        /** Whether this walks the ordering's own index (named or left to the database). */
        boolean walksOrder() {
            return name.equals("order");
        }

        /**
         * Whether this reads the jobs of a tag or an artifact type from that table's index (project, value, job id),
         * in job id order, each job joined by its key: a list by id is then a walk that stops at the page's end.
         */
        boolean joins() {
            return name.equals(TAG_IDS) || name.equals(ARTIFACT_IDS);
        }

        /** The column holding the job id in the order of this driver's index. */
        String idColumn() {
            return switch (name) {
                case TAG_IDS -> "t.job_id";
                case ARTIFACT_IDS -> "a.job_id";
                default -> "j.id";
            };
        }
    }

    /** The driver joining {@code job_tags} in job id order (see {@link Driver#joins}). */
    static final String TAG_IDS = "tag-ids";
    /** The driver joining {@code job_artifacts} in job id order (see {@link Driver#joins}). */
    static final String ARTIFACT_IDS = "artifact-ids";

    private final boolean h2;
    private final JobFilter filter;
    private final JobOrdering ordering;
    private final SortKey after;
    private final List<Long> shaPipelines;
    private final Map<String, Object> binds = new LinkedHashMap<>();
    private final List<String> conditions = new ArrayList<>();
    private boolean joins = true;

    /**
     * @param h2           whether the statements are for H2 (index hints, a name prefix spelled as a range)
     * @param shaPipelines the project's pipelines of {@code filter.sha()}, looked up beforehand (never empty: a sha
     *                     without pipelines matches nothing and needs no query); null without a sha filter, or to
     *                     have the database look them up (a commit with very many pipelines)
     */
    JobSearchSql(boolean h2, ProjectId project, JobFilter filter, List<Long> shaPipelines, JobOrdering ordering,
                 SortKey after) {
        this.h2 = h2;
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

    /** The same search from another position. */
    JobSearchSql after(SortKey position) {
        return new JobSearchSql(h2, ProjectId.of((Long) binds.get("project")), filter, shaPipelines, ordering,
                position).joins(joins);
    }

    /**
     * Whether a list by id may read the jobs of a tag or artifact type by joining that table in job id order
     * ({@link Driver#joins}); without, they are read and sorted. Off only to measure the difference.
     */
    JobSearchSql joins(boolean on) {
        joins = on;
        return this;
    }

    // ----------------------------------------------------------------------------------------------- statements

    /**
     * Whether the list's page may be found through the artifacts' index ({@link #artifactJobIds}): jobs with artifacts,
     * listed by id, the first page or a keyset page.
     */
    boolean pagesThroughArtifacts() {
        return Boolean.TRUE.equals(filter.withArtifacts()) && ordering.by() == JobOrder.ID;
    }

    /**
     * Up to {@code limit} ids of the project's jobs with artifacts (other than a log), in the list's order, past
     * {@code afterId} (null: from the start): an index range of {@code job_artifacts}, no job read. A job with several
     * artifacts comes as often; the caller keeps the first.
     */
    String artifactJobIds(boolean afterAnId, int limit) {
        boolean ascending = ordering.ascending();
        return "SELECT a.job_id FROM job_artifacts a" + (h2 ? " USE INDEX (job_artifacts_project_job_idx)" : "")
                + " WHERE a.project_id = :project AND a.file_type <> " + ArtifactFileType.TRACE.code()
                + (afterAnId ? " AND a.job_id " + (ascending ? "> " : "< ") + ":artifacts_after" : "")
                + " ORDER BY a.project_id" + (ascending ? " ASC" : " DESC") + ", a.job_id"
                + (ascending ? " ASC" : " DESC") + Paging.limit(limit);
    }

    /**
     * The jobs of {@code slots} bound ids ({@code :by_id0} …, see {@link #idSlots}) that pass every filter, in the
     * list's order. A fixed number of parameters, so that every page has the same statement text in the statement
     * caches (ids spelled into the text made each page a statement of its own).
     */
    String jobsByIds(int slots, int limit) {
        String list = java.util.stream.IntStream.range(0, slots).mapToObj(i -> ":by_id" + i)
                .collect(Collectors.joining(", "));
        String direction = ordering.ascending() ? " ASC" : " DESC";
        return "SELECT " + JobRows.J_COLUMNS + " FROM jobs j" + where(Driver.ORDER, "j.id IN (" + list + ")")
                + " ORDER BY j.id" + direction + Paging.limit(limit);
    }

    /** The binds of {@link #jobsByIds}: {@code ids} in {@code slots} parameters, the rest filled with an id no job has. */
    static Map<String, Object> idSlots(java.util.Collection<Long> ids, int slots) {
        if (ids.size() > slots) {
            throw new IllegalArgumentException(ids.size() + " ids for " + slots + " slots");
        }
        Map<String, Object> binds = new LinkedHashMap<>();
        int slot = 0;
        for (Long id : ids) {
            binds.put("by_id" + slot++, id);
        }
        while (slot < slots) {
            binds.put("by_id" + slot++, 0L);
        }
        return binds;
    }

    /** Whether the list runs from low to high sort values. */
    boolean ascending() {
        return ordering.ascending();
    }

    JobOrdering ordering() {
        return ordering;
    }

    /** The keyset position's job id, if the list starts after one. */
    Long afterId() {
        return after == null ? null : after.id();
    }

    /** A page of job rows through {@code driver}. */
    String page(Driver driver, long offset, int limit) {
        return "SELECT " + JobRows.J_COLUMNS + " FROM " + from(driver) + where(driver, null) + orderBy(driver)
                + Paging.limitOffset(limit, offset);
    }

    /**
     * A page of the order walk that stops at {@code boundary}: the walk reads at most as far as the boundary, which
     * {@link #boundary} placed a fixed number of index entries ahead.
     */
    String boundedPage(Driver walk, SortKey boundary, int limit) {
        binds.put("bound_id", boundary.id());
        if (ordering.by() != JobOrder.ID) {
            binds.put("bound_value", keyValue(boundary.value()));
        }
        return "SELECT " + JobRows.J_COLUMNS + " FROM " + from(walk) + where(walk, boundCondition()) + orderBy(walk)
                + Paging.limit(limit);
    }

    /**
     * The position {@code entries} index entries ahead in the order walk, filters aside (one index range, no row
     * read): how far a bounded walk goes. No row there means the rest of the project is shorter than that. For a
     * driver other than the order walk (a filter's index in id order), the same within that filter's rows.
     */
    String boundary(Driver walk, int entries) {
        String key = ordering.by() == JobOrder.ID ? "j.id" : sortColumn(ordering);
        // the order's index from this position, or a filter's index read in id order (see
        // JdbiJobRepository#boundedDriverPage) within its own range
        List<String> range = walk.walksOrder() ? walkRange() : new ArrayList<>(driverConditions(walk));
        if (!walk.walksOrder() && after != null) {
            range.add(keysetCondition());
        }
        return "SELECT " + key + " AS sort_value, j.id FROM " + from(walk) + " WHERE " + String.join(" AND ", range)
                + orderBy(walk) + Paging.limitOffset(1, entries);
    }

    /** The order walk's index range from this search's position: the project, a bound on the order's column. */
    private List<String> walkRange() {
        List<String> range = new ArrayList<>(List.of("j.project_id = :project"));
        range.addAll(orderRange());
        if (after != null) {
            range.add(keysetCondition());
        }
        return range;
    }

    /**
     * A time filter on the list's own order column: where the walk's index range starts and ends, so the boundary
     * counts its entries from there (counted from the project's first job, 4,000 entries ahead ended long before a
     * bound on the last tenth, and the walk found nothing on the way).
     */
    private List<String> orderRange() {
        return switch (ordering.by()) {
            case CREATED_AT -> rangeConditions("j.created_at", filter.createdAfter(), filter.createdBefore(),
                    "created");
            case UPDATED_AT -> rangeConditions("j.updated_at", filter.updatedAfter(), filter.updatedBefore(),
                    "updated");
            case FINISHED_AT -> finishedConditions();
            default -> List.of();
        };
    }

    /**
     * Where {@code driver}'s rows start in a list by id (the lowest id ascending, the highest descending), or null for
     * a driver this is not worth asking. No job passing every filter lies before it, so a walk by id may start there.
     * One seek where the driver's index is in id order; for a time range, one pass over the range's index entries,
     * reading no row — a tenth of what the walk pays per entry, and the walk would have read every job before the
     * range (3 s a page at 1,000,000 jobs). Other drivers (several statuses, a name prefix, a commit's pipelines, the
     * tag and artifact tables) would cost a pass over rows that are rarely far away.
     */
    String edgeId(Driver driver) {
        boolean seek = driver.sortsById() && !driver.joins();
        if (!seek && timeColumn(driver) == null) {
            return null;
        }
        String where = " WHERE " + String.join(" AND ", driverConditions(driver));
        if (seek) {
            // by id whatever the list's order: where the rows start in id order
            return "SELECT j.id FROM " + from(driver) + where + idOrderBy(driver) + Paging.limit(1);
        }
        // On PostgreSQL a bare MIN(id) becomes a walk of the id index until a row passes the range: the very walk
        // this replaces. The expression keeps it to the range's index (an index-only scan).
        String id = h2 ? "j.id" : "j.id + 0";
        return "SELECT " + (ordering.ascending() ? "MIN(" : "MAX(") + id + ") FROM " + from(driver) + where;
    }

    /**
     * A few ids of a time range's rows at the end of the range where the list is heading (its newest times for a list
     * newest first, its oldest for one oldest first), or null for a driver that is no time range: where the range's
     * rows most likely begin for the walk. When they begin close to the walk's position, a few thousand jobs without
     * the range's value lie in between (the newest jobs, not finished yet) and walking on costs less than the pass of
     * {@link #edgeId} over the whole range.
     */
    String nearIds(Driver driver, int count) {
        String column = timeColumn(driver);
        if (column == null) {
            return null;
        }
        String direction = ordering.ascending() ? " ASC" : " DESC";
        return "SELECT j.id FROM " + from(driver) + " WHERE " + String.join(" AND ", driverConditions(driver))
                + " ORDER BY j.project_id" + direction + ", " + column + direction + ", j.id" + direction
                + Paging.limit(count);
    }

    /** The column of a time range driver (the first of its index after the project), or null. */
    private static String timeColumn(Driver driver) {
        return switch (driver.name()) {
            case "created_at" -> "j.created_at";
            case "updated_at" -> "j.updated_at";
            case "finished_at" -> "j.finished_order";
            default -> null;
        };
    }

    /**
     * The first entry of {@code walk}'s index (the order's) from this search's position whose id lies on the filters'
     * side of {@code :edge_id} (at or above it ascending, at or below descending): the project's entries of the
     * order's index only, its own columns only, so no row is read on the way.
     */
    String firstEntryFrom(Driver walk) {
        List<String> range = walkRange();
        range.add("j.id " + (ordering.ascending() ? ">=" : "<=") + " :edge_id");
        return "SELECT " + sortColumn(ordering) + " AS sort_value, j.id FROM " + from(walk) + " WHERE "
                + String.join(" AND ", range) + orderBy(walk) + Paging.limit(1);
    }

    /**
     * One job of the project in {@code status} that has a finish time, if any: a seek of
     * {@code jobs_project_status_finished_idx} (V100) to the first entry past the unfinished jobs' sort value.
     */
    static String finishedOfStatus(boolean h2, JobStatus status) {
        return "SELECT 1 FROM jobs j" + (h2 ? " USE INDEX (jobs_project_status_finished_idx)" : "")
                + " WHERE j.project_id = :project AND j.status = " + status.code()
                + " AND j.finished_order < " + JobOrder.NONE_ASCENDING + Paging.limit(1);
    }

    /** The walk of the ordering's own index: named on H2, PostgreSQL's choice otherwise. */
    Driver walkDriver() {
        return h2 ? orderDriver() : Driver.ORDER;
    }

    private String boundCondition() {
        String comparison = ordering.ascending() ? " <= " : " >= ";
        if (ordering.by() == JobOrder.ID) {
            return "j.id" + comparison + ":bound_id";
        }
        return "(" + sortColumn(ordering) + ", j.id)" + comparison + "(:bound_value, :bound_id)";
    }

    String count() {
        return "SELECT COUNT(*) FROM jobs j" + where(Driver.ORDER, null);
    }

    /**
     * How many rows {@code driver}'s filter alone reaches, counting no further than {@code cap}: what reading through
     * it costs. Only the driving index's own columns are read.
     */
    String probe(Driver driver, int cap) {
        String rows = switch (driver.name()) {
            case "tag", TAG_IDS -> "job_tags t WHERE t.project_id = :project AND t.tag = :tag";
            case "artifact_type", ARTIFACT_IDS ->
                    "job_artifacts a WHERE a.project_id = :project AND a.file_type = :artifact_type";
            default -> from(driver) + " WHERE " + String.join(" AND ", driverConditions(driver));
        };
        return "SELECT COUNT(*) FROM (SELECT 1 FROM " + rows + Paging.limit(cap) + ") reached";
    }

    private String from(Driver driver) {
        if (driver.name().equals(TAG_IDS)) {
            return "job_tags t" + (h2 ? " USE INDEX (job_tags_project_tag_job_idx)" : "")
                    + " INNER JOIN jobs j ON j.id = t.job_id";
        }
        if (driver.name().equals(ARTIFACT_IDS)) {
            return "job_artifacts a" + (h2 ? " USE INDEX (job_artifacts_project_type_job_idx)" : "")
                    + " INNER JOIN jobs j ON j.id = a.job_id";
        }
        return h2 && driver.index() != null ? "jobs j USE INDEX (" + driver.index() + ")" : "jobs j";
    }

    private String where(Driver driver, String extra) {
        List<String> all = new ArrayList<>(conditions);
        if (extra != null) {
            all.add(extra);
        }
        if (filter.tag() != null && driver.name().equals(TAG_IDS)) {
            all.add("t.project_id = :project AND t.tag = :tag");
        } else if (filter.tag() != null) {
            all.add(driver.name().equals("tag")
                    ? "j.id IN (SELECT t.job_id FROM job_tags t WHERE t.project_id = :project AND t.tag = :tag)"
                    : "EXISTS (SELECT 1 FROM job_tags t WHERE t.job_id = j.id AND t.tag = :tag)");
        }
        if (filter.artifactType() != null && driver.name().equals(ARTIFACT_IDS)) {
            all.add("a.project_id = :project AND a.file_type = :artifact_type");
        } else if (filter.artifactType() != null) {
            all.add(driver.name().equals("artifact_type")
                    ? "j.id IN (SELECT a.job_id FROM job_artifacts a WHERE a.project_id = :project"
                            + " AND a.file_type = :artifact_type)"
                    : "EXISTS (SELECT 1 FROM job_artifacts a WHERE a.job_id = j.id AND a.file_type = :artifact_type)");
        }
        if (after != null) {
            all.add(keysetCondition());
            if (driver.joins()) {
                // the same bound on the joined table's own column, where its index range starts
                all.add(driver.idColumn() + (ordering.ascending() ? " > " : " < ") + ":after_id");
            }
        }
        return " WHERE " + String.join(" AND ", all);
    }

    /**
     * The list's order, spelled so that H2 reads the driving index in order: its leading (constant) columns first,
     * in the direction that walks the index forwards or backwards as the list needs (H2 reverses an index only as a
     * whole). PostgreSQL drops constant columns from an ORDER BY.
     */
    private String orderBy(Driver driver) {
        String direction = ordering.ascending() ? " ASC" : " DESC";
        if (!driver.walksOrder() && !(ordering.by() == JobOrder.ID && driver.sortsById())) {
            // The rows of a filter's index, sorted: as expressions, so that PostgreSQL reads them through the
            // filter's index rather than walking the order's (the probe found them few).
            String column = ordering.by() == JobOrder.ID ? "j.id" : sortColumn(ordering);
            return " ORDER BY COALESCE(" + column + ", " + column + ")" + direction + ", COALESCE(j.id, j.id)"
                    + direction;
        }
        if (ordering.by() == JobOrder.ID) {
            return idOrderBy(driver);
        }
        String column = sortColumn(ordering);
        String prefix = driver.walksOrder() ? "j.project_id" + direction + ", " : "";
        return " ORDER BY " + prefix + column + direction + ", j.id" + direction;
    }

    /** Id order in the list's direction through a driver whose index is in id order (its leading columns first). */
    private String idOrderBy(Driver driver) {
        String direction = ordering.ascending() ? " ASC" : " DESC";
        boolean forwards = ordering.ascending() != driver.idDescending();
        String prefixDirection = forwards ? " ASC" : " DESC";
        return " ORDER BY " + driver.prefix().stream().map(c -> c + prefixDirection)
                .collect(Collectors.joining(", ")) + ", " + driver.idColumn() + direction;
    }

    // -------------------------------------------------------------------------------------------------- drivers

    /**
     * The drivers this search could use besides its order walk: one per equality filter that has an index, the
     * pipeline for pipeline and sha filters, a name glob's literal start, the tag and artifact-type filters through
     * their tables, and the time range of a filter on another column than the order's.
     */
    List<Driver> candidates() {
        List<Driver> drivers = new ArrayList<>();
        if (filter.pipeline() != null && shaPipelines == null) {
            drivers.add(new Driver("pipeline", "jobs_pipeline_id_idx", List.of("j.pipeline_id"), true, true));
        } else if (shaPipelines != null) {
            drivers.add(new Driver("pipeline", "jobs_pipeline_id_idx", List.of(), true, false));
        }
        if (filter.statuses().size() == 1) {
            drivers.add(new Driver("status", "jobs_project_status_id_idx", List.of("j.project_id", "j.status"), true,
                    true));
        } else if (filter.statuses().size() > 1) {
            // several ranges of the same index, one per status: their rows together are in no order, so sorted
            drivers.add(new Driver("status", "jobs_project_status_id_idx", List.of("j.project_id"), true, false));
        }
        if (filter.name() != null && !filter.nameIsGlob()) {
            drivers.add(equality("name", "jobs_project_name_idx", "j.name"));
        } else if (filter.name() != null && h2 && binds.containsKey("name_from")) {
            // on H2 a glob with a literal start is a range of the name index (see nameCondition); on PostgreSQL,
            // whose names compare by the database's collation, it is not
            drivers.add(new Driver("name-prefix", "jobs_project_name_idx", List.of(), false, false));
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
        // PostgreSQL only: H2's planner reorders the join to walk the jobs' id index first in one direction (and
        // cannot be told the order), which reads no fewer rows than the order walk
        boolean byId = joins && !h2 && ordering.by() == JobOrder.ID;
        if (filter.tag() != null) {
            // the ids from job_tags' index, each job then read by its key: in id order, joined as the index
            // yields them; else sorted
            drivers.add(byId ? new Driver(TAG_IDS, null, List.of("t.project_id", "t.tag"), false, true)
                    : new Driver("tag", null, List.of(), false, false));
        }
        if (filter.artifactType() != null) {
            drivers.add(byId ? new Driver(ARTIFACT_IDS, null, List.of("a.project_id", "a.file_type"), false, true)
                    : new Driver("artifact_type", null, List.of(), false, false));
        }
        addRange(drivers, JobOrder.CREATED_AT, filter.createdAfter(), filter.createdBefore());
        addRange(drivers, JobOrder.UPDATED_AT, filter.updatedAfter(), filter.updatedBefore());
        addRange(drivers, JobOrder.FINISHED_AT, filter.finishedAfter(), filter.finishedBefore());
        return drivers;
    }

    private void addRange(List<Driver> drivers, JobOrder column, Instant after, Instant before) {
        if ((after != null || before != null) && ordering.by() != column) {
            drivers.add(new Driver(column.name().toLowerCase(java.util.Locale.ROOT), orderIndex(column, true), List.of(),
                    false, false));
        }
    }

    private static Driver equality(String name, String index, String column) {
        return new Driver(name, index, List.of("j.project_id", column), false, true);
    }

    /** The ordering's own driver on H2: its index, walked in order. */
    Driver orderDriver() {
        return new Driver("order", orderIndex(ordering.by(), ordering.ascending()), List.of("j.project_id"),
                ordering.by() == JobOrder.ID,
                false);
    }

    /**
     * The index of an order: finish times and durations have one per direction, each holding the jobs without a
     * value at its far end (see {@link JobOrder}).
     */
    static String orderIndex(JobOrder order, boolean ascending) {
        return switch (order) {
            case ID -> "jobs_project_id_idx";
            case CREATED_AT -> "jobs_project_created_idx";
            case UPDATED_AT -> "jobs_project_updated_idx";
            case FINISHED_AT -> ascending ? "jobs_project_finished_idx" : "jobs_project_finished_desc_idx";
            case DURATION -> ascending ? "jobs_project_duration_idx" : "jobs_project_duration_desc_idx";
        };
    }

    /** The conditions a driver's index decides by itself (for its probe). */
    private List<String> driverConditions(Driver driver) {
        List<String> own = new ArrayList<>();
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

    // ----------------------------------------------------------------------------------------------- conditions

    private void addFilterConditions() {
        if (!filter.statuses().isEmpty()) {
            conditions.add(statusCondition());
        }
        if (filter.name() != null) {
            if (filter.nameIsGlob() && h2 && !namePrefix().isEmpty()) {
                String prefix = namePrefix();
                char last = prefix.charAt(prefix.length() - 1);
                if (last != Character.MAX_VALUE) {
                    binds.put("name_from", prefix);
                    binds.put("name_to", prefix.substring(0, prefix.length() - 1) + (char) (last + 1));
                }
            }
            if (!isPrefixRange()) {
                binds.put("name", filter.nameIsGlob() ? likePattern(filter.name()) : filter.name());
            }
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
        }
        if (filter.withArtifacts() != null) {
            conditions.add((filter.withArtifacts() ? "" : "NOT ") + "EXISTS (SELECT 1 FROM job_artifacts ja"
                    + " WHERE ja.job_id = j.id AND ja.file_type <> " + ArtifactFileType.TRACE.code() + ")");
        }
        if (filter.artifactType() != null) {
            binds.put("artifact_type", filter.artifactType().code());
        }
        bindRange(filter.createdAfter(), filter.createdBefore(), "created");
        bindRange(filter.updatedAfter(), filter.updatedBefore(), "updated");
        conditions.addAll(rangeConditions("j.created_at", filter.createdAfter(), filter.createdBefore(), "created"));
        conditions.addAll(rangeConditions("j.updated_at", filter.updatedAfter(), filter.updatedBefore(), "updated"));
        if (filter.finishedAfter() != null || filter.finishedBefore() != null) {
            // bounds inside both sentinels: a job without a finish time never matches
            long from = filter.finishedAfter() == null ? Long.MIN_VALUE + 1
                    : Math.max(Long.MIN_VALUE + 1, JobOrder.micros(filter.finishedAfter()));
            long to = filter.finishedBefore() == null ? Long.MAX_VALUE - 1
                    : Math.min(Long.MAX_VALUE - 1, JobOrder.micros(filter.finishedBefore()));
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

    /**
     * The name condition. A glob is a LIKE; on H2, whose planner turns a LIKE with a bound pattern into no index range,
     * its literal start is also spelled as the range it is ({@code name >= 'rspec' AND name < 'rspeD'}: H2 compares
     * code units, in which every name starting with the prefix lies in that range). PostgreSQL compares names by the
     * database's collation, in which a prefix need not be a range, so it gets the LIKE alone.
     */
    private String nameCondition() {
        if (!filter.nameIsGlob()) {
            return "j.name = :name";
        }
        if (isPrefixRange()) {
            return "j.name >= :name_from AND j.name < :name_to";
        }
        String like = "j.name LIKE :name" + LikePatterns.ESCAPE;
        return binds.containsKey("name_from") ? "j.name >= :name_from AND j.name < :name_to AND " + like : like;
    }

    /**
     * Whether the glob is a literal start and one {@code *} at its end, spelled on H2 as its range alone. Not as a
     * LIKE too: H2 parses and plans a statement with a LIKE again on every execution (so that a bound pattern's
     * literal start could become an index range), which made a name glob the dearest filter of the list (1.6 ms of
     * CPU per page at 1,000,000 jobs, twice the others).
     */
    private boolean isPrefixRange() {
        return binds.containsKey("name_from") && filter.name().indexOf('*') == filter.name().length() - 1;
    }

    /** The literal start of a name glob (before its first {@code *}), or the whole name. */
    private String namePrefix() {
        int star = filter.name().indexOf('*');
        return star < 0 ? filter.name() : filter.name().substring(0, star);
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
        // on the column the walk of a finish-time order reads, so that the bound is where its index range starts
        String column = ordering.by() == JobOrder.FINISHED_AT && !ordering.ascending()
                ? "j.finished_order_desc" : "j.finished_order";
        return List.of(column + " >= :finished_after", column + " <= :finished_before");
    }

    /**
     * The rows after the position in the list's direction, as a row-value comparison, which both databases turn into
     * the start of an index range (so a page deep in the list costs what the first page costs).
     */
    private String keysetCondition() {
        String comparison = ordering.ascending() ? " > " : " < ";
        if (ordering.by() == JobOrder.ID) {
            return "j.id" + comparison + ":after_id";
        }
        return "(" + sortColumn(ordering) + ", j.id)" + comparison + "(:after_value, :after_id)";
    }

    private void bindKeyset() {
        binds.put("after_id", after.id());
        if (ordering.by() != JobOrder.ID) {
            binds.put("after_value", keyValue(after.value()));
        }
    }

    /** A sort value as the column holds it: a time for created_at and updated_at, the number otherwise. */
    private Object keyValue(long value) {
        return switch (ordering.by()) {
            case CREATED_AT, UPDATED_AT -> Values.instant(JobOrder.instant(value));
            default -> value;
        };
    }

    static String sortColumn(JobOrdering ordering) {
        return switch (ordering.by()) {
            case ID -> "j.id";
            case CREATED_AT -> "j.created_at";
            case UPDATED_AT -> "j.updated_at";
            case FINISHED_AT -> ordering.ascending() ? "j.finished_order" : "j.finished_order_desc";
            case DURATION -> ordering.ascending() ? "j.duration_order" : "j.duration_order_desc";
        };
    }

    /** A name glob as a LIKE pattern: {@code *} is any run of characters, SQL's own wildcards are plain text. */
    static String likePattern(String glob) {
        return glob.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace('*', '%');
    }
}
