package io.jobyard.application.port.out;

import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;

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
     * {@link #latestSuccessfulForRef} for several refs at once, so a page of jobs learns which pipelines keep their
     * artifacts locked without a query per ref. Refs without a successful pipeline are absent. The default asks ref by
     * ref; an adapter may answer in one query.
     */
    default Map<String, Pipeline> latestSuccessfulForRefs(ProjectId project, Collection<String> refs) {
        Map<String, Pipeline> found = new LinkedHashMap<>();
        for (String ref : new LinkedHashSet<>(refs)) {
            latestSuccessfulForRef(project, ref).ifPresent(p -> found.put(ref, p));
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
}
