package io.jobyard.application.port.in.job;

import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;

import java.util.Objects;
import java.util.Set;

/** {@code GET /projects/:id/jobs} and {@code GET /projects/:id/pipelines/:pipeline_id/jobs}. */
public interface ListJobsUseCase {

    /** A project's jobs, newest first unless ordered otherwise, retried ones included; no total. */
    JobPage listProjectJobs(Actor actor, ProjectJobsQuery query);

    /**
     * A pipeline's jobs, newest first unless ordered otherwise, with a total when paged by offset. Callers who may
     * read the pipeline but not its jobs get an empty page, as GitLab answers them.
     */
    JobPage listPipelineJobs(Actor actor, PipelineJobsQuery query);

    /**
     * @param filter   what to keep (its pipeline condition narrows the project's jobs to one pipeline)
     * @param username who triggered the jobs, by username (null: anyone); an unknown username matches nothing
     * @param ordering the order; ordered by {@code updated_at} ascending, the list is a change feed (see the service)
     */
    record ProjectJobsQuery(ProjectRef project, JobFilter filter, String username, JobOrdering ordering,
                            Pagination pagination) {
        public ProjectJobsQuery {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(ordering, "ordering");
            Objects.requireNonNull(pagination, "pagination");
        }

        /** GitLab's list: filtered by {@code scope} only, newest first. */
        public ProjectJobsQuery(ProjectRef project, Set<JobStatus> scope, Pagination pagination) {
            this(project, JobFilter.builder().statuses(scope).build(), null, JobOrdering.NEWEST_FIRST, pagination);
        }

        public Set<JobStatus> scope() {
            return filter.statuses();
        }
    }

    /**
     * @param filter the conditions besides the pipeline (its own pipeline condition is replaced by {@code pipeline});
     *               {@code includeRetried} false keeps the latest job of each name only, GitLab's default here
     */
    record PipelineJobsQuery(ProjectRef project, PipelineId pipeline, JobFilter filter, String username,
                             JobOrdering ordering, Pagination pagination) {
        public PipelineJobsQuery {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(ordering, "ordering");
            Objects.requireNonNull(pagination, "pagination");
        }

        /** GitLab's list: {@code scope} and {@code include_retried}, newest first, offset pages. */
        public PipelineJobsQuery(ProjectRef project, PipelineId pipeline, Set<JobStatus> scope, boolean includeRetried,
                                 Pagination.Offset pagination) {
            this(project, pipeline, JobFilter.builder().statuses(scope).includeRetried(includeRetried).build(), null,
                    JobOrdering.NEWEST_FIRST, pagination);
        }

        public Set<JobStatus> scope() {
            return filter.statuses();
        }

        public boolean includeRetried() {
            return filter.includeRetried();
        }
    }
}
