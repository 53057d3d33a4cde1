package io.jobyard.application.port.out;

import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Pipelines. Updates are optimistic on {@link Pipeline#lockVersion()}. */
public interface PipelineRepository {

    PipelineId nextId();

    /** The next per-project pipeline number. */
    long nextIid(ProjectId project);

    Pipeline insert(Pipeline pipeline);

    /**
     * Stores {@code pipeline} if nobody changed it since it was read.
     *
     * @return the stored pipeline with its new lock version
     * @throws io.jobyard.domain.error.StaleObjectException when the lock version no longer matches
     */
    Pipeline update(Pipeline pipeline);

    Optional<Pipeline> findById(PipelineId id);

    Map<PipelineId, Pipeline> findByIds(Collection<PipelineId> ids);

    /** The newest pipeline (highest id) of {@code ref} whose status is success. */
    Optional<Pipeline> latestSuccessfulForRef(ProjectId project, String ref);

    /**
     * The ids of {@link #latestSuccessfulForRef} for several refs at once, so a page of jobs learns which pipelines keep
     * their artifacts locked without a query per ref (and without reading whole pipelines it only compares ids with).
     * Refs without a successful pipeline are absent. The default asks ref by ref; an adapter may answer in one query.
     */
    default Map<String, PipelineId> latestSuccessfulIdsForRefs(ProjectId project, Collection<String> refs) {
        Map<String, PipelineId> found = new LinkedHashMap<>();
        for (String ref : new LinkedHashSet<>(refs)) {
            latestSuccessfulForRef(project, ref).ifPresent(p -> found.put(ref, p.id()));
        }
        return found;
    }

    /** A project's pipelines, newest first, filtered (null filters match everything). */
    List<Pipeline> list(ProjectId project, PipelineFilter filter, long offset, int limit);

    long count(ProjectId project, PipelineFilter filter);

    /** Filters of {@code GET /projects/:id/pipelines}; null fields do not filter. */
    record PipelineFilter(Set<JobStatus> statuses, String ref, String sha) {
        public static final PipelineFilter ALL = new PipelineFilter(null, null, null);
    }

    /**
     * {@code GET /projects/:id/pipelines}: a project's pipelines that match {@code query}, in its order (equal sort
     * keys fall back to the id, in the same direction, so pages never overlap), skipping {@code offset}.
     */
    List<Pipeline> search(ProjectId project, PipelineQuery query, long offset, int limit);

    /** How many pipelines {@link #search} pages through. */
    long searchCount(ProjectId project, PipelineQuery query);

    /**
     * {@link #search} by keyset: the pipelines after {@code after} (null: from the start) in the query's order, at most
     * {@code limit}. Only the orders of {@link #keysetOrder} page this way; {@code after}'s value is the pipeline's id
     * or its {@code updated_at} in microseconds since the epoch.
     *
     * @throws IllegalArgumentException for another order
     */
    List<Pipeline> searchAfter(ProjectId project, PipelineQuery query, SortKey after, int limit);

    /** Whether a list in {@code order} can be paged by keyset: by id, and by {@code updated_at}. */
    static boolean keysetOrder(Order order) {
        return order == Order.ID || order == Order.UPDATED_AT;
    }

    /** GitLab's {@code order_by} columns of the pipeline list. */
    enum Order {
        ID, STATUS, REF, UPDATED_AT, USER_ID
    }

    /**
     * The filters and order of GitLab's {@code Ci::PipelinesFinder}; null fields do not filter. Time bounds are
     * inclusive, as GitLab's {@code updated_after} ({@code >=}) and {@code updated_before} ({@code <=}) are.
     *
     * @param tag          only tag pipelines (true) or only branch pipelines (false)
     * @param latestPerRef keep only the newest pipeline (highest id) of each ref among the project's pipelines with the
     *                     same {@code tag} flag; the other filters then apply to those (GitLab's branches and tags
     *                     scopes). Requires {@code tag}.
     * @param order        the sort column; statuses sort by their wire names and a missing user sorts last ascending,
     *                     first descending, as PostgreSQL sorts GitLab's columns
     */
    record PipelineQuery(Set<JobStatus> statuses, String ref, String sha, Boolean tag, boolean latestPerRef,
                         PipelineSource source, UserId user, Instant updatedAfter, Instant updatedBefore,
                         Instant createdAfter, Instant createdBefore, Order order, boolean ascending) {
        /** Every pipeline, newest first: GitLab's default. */
        public static final PipelineQuery ALL = new PipelineQuery(null, null, null, null, false, null, null, null,
                null, null, null, Order.ID, false);

        public PipelineQuery {
            statuses = statuses == null ? null : Set.copyOf(statuses);
            order = order == null ? Order.ID : order;
            if (latestPerRef && tag == null) {
                throw new IllegalArgumentException("latestPerRef needs the tag flag");
            }
        }
    }
}
