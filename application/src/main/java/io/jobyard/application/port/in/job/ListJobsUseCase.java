package io.jobyard.application.port.in.job;

import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;

import java.util.Objects;
import java.util.Set;

/** {@code GET /projects/:id/jobs} and {@code GET /projects/:id/pipelines/:pipeline_id/jobs}. */
public interface ListJobsUseCase {

    /** A project's jobs, newest first, retried ones included; no total. */
    JobPage listProjectJobs(Actor actor, ProjectJobsQuery query);

    /**
     * A pipeline's jobs, newest first, with a total. Callers who may read the pipeline but not its jobs get an empty
     * page, as GitLab answers them.
     */
    JobPage listPipelineJobs(Actor actor, PipelineJobsQuery query);

    /** @param scope statuses to keep; empty keeps all */
    record ProjectJobsQuery(ProjectRef project, Set<JobStatus> scope, Pagination pagination) {
        public ProjectJobsQuery {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(pagination, "pagination");
            scope = Set.copyOf(scope);
        }
    }

    record PipelineJobsQuery(ProjectRef project, PipelineId pipeline, Set<JobStatus> scope, boolean includeRetried,
                             Pagination.Offset pagination) {
        public PipelineJobsQuery {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(pagination, "pagination");
            scope = Set.copyOf(scope);
        }
    }
}
