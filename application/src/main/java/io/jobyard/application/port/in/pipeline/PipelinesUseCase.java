package io.jobyard.application.port.in.pipeline;

import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.user.User;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * GitLab's pipeline endpoints around existing pipelines: list, read, retry, cancel and the variables given at
 * creation, with GitLab's order of checks (credentials → project 404 → pipeline 404 "Not found" → ability 403).
 */
public interface PipelinesUseCase {

    /**
     * A project's pipelines with GitLab's filters and order; an offset page has a total. Keyset pages are served for
     * the orders {@link PipelineRepository#keysetOrder} names (GitLab: id only).
     */
    PipelinePage list(Actor actor, ListPipelinesQuery query);

    PipelineView get(Actor actor, ProjectRef project, PipelineId pipeline);

    /**
     * Retries every latest failed or canceled job that may be retried, reopens the skipped jobs and processes the
     * pipeline; nothing to retry is not an error.
     */
    PipelineView retry(Actor actor, ProjectRef project, PipelineId pipeline);

    /** Cancels every cancelable job; a pipeline with nothing to cancel comes back unchanged (GitLab does not refuse). */
    PipelineView cancel(Actor actor, ProjectRef project, PipelineId pipeline);

    /** The variables given when the pipeline was created (not the configuration's). */
    List<JobVariable> variables(Actor actor, ProjectRef project, PipelineId pipeline);

    /** GitLab's {@code scope} of the pipeline list. */
    enum Scope {
        RUNNING, PENDING, FINISHED, BRANCHES, TAGS
    }

    /**
     * {@code GET /projects/:id/pipelines}; null fields do not filter.
     *
     * @param username   the pipelines of this user only (an unknown user matches nothing)
     * @param yamlErrors true keeps only pipelines with configuration errors: Jobyard never stores such a pipeline
     * @param name       the pipeline name ({@code workflow:name}): Jobyard's pipelines have none
     */
    record ListPipelinesQuery(ProjectRef project, Scope scope, JobStatus status, String ref, String sha,
                              PipelineSource source, String username, Boolean yamlErrors, String name,
                              Instant updatedAfter, Instant updatedBefore, Instant createdAfter,
                              Instant createdBefore, PipelineRepository.Order order, boolean ascending,
                              Pagination pagination) {
        public ListPipelinesQuery {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(pagination, "pagination");
            order = order == null ? PipelineRepository.Order.ID : order;
        }

        /** Every pipeline of the project, newest first. */
        public static ListPipelinesQuery all(ProjectRef project, Pagination.Offset pagination) {
            return new ListPipelinesQuery(project, null, null, null, null, null, null, null, null, null, null, null,
                    null, PipelineRepository.Order.ID, false, pagination);
        }
    }

    /** One page of a project's pipelines and how many there are in all (null for keyset pages, which do not count). */
    record PipelinePage(Project project, List<Pipeline> pipelines, boolean hasNext, Long total) {
        public PipelinePage {
            Objects.requireNonNull(project, "project");
            pipelines = List.copyOf(pipelines);
        }
    }

    /**
     * A pipeline with what GitLab's full pipeline entity shows besides it.
     *
     * @param user     the pipeline's user, or null
     * @param warnings some latest job failed but was allowed to (GitLab's "passed with warnings")
     * @param coverage the average coverage of the latest jobs that report one, or null
     */
    record PipelineView(Pipeline pipeline, Project project, User user, boolean warnings, Double coverage) {
        public PipelineView {
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(project, "project");
        }
    }
}
