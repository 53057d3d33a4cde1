package io.jobyard.adapter.http.web;

import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;

import java.util.List;

/** The models of the list pages: projects, a project's jobs and pipelines, one pipeline. */
public final class ListPageModels {
    private ListPageModels() {
    }

    /** {@code /}: the projects the visitor may see. */
    public record Projects(PageFrame frame, List<ProjectsUseCase.ProjectView> projects, String nextUrl,
                           String previousUrl) {
    }

    /**
     * {@code /:project/-/jobs}: newest first, keyset pages ({@code ?before=<id>}), filtered by status.
     *
     * @param scope    the status shown, or null for all
     * @param statuses the filter's choices
     */
    public record Jobs(PageFrame frame, Project project, List<JobView> jobs, JobStatus scope,
                       List<JobStatus> statuses, String nextUrl) {
        public String projectUrl() {
            return "/" + project.fullPath();
        }
    }

    /** {@code /:project/-/pipelines}. */
    public record Pipelines(PageFrame frame, Project project, List<Pipeline> pipelines, String nextUrl,
                            String previousUrl) {
        public String projectUrl() {
            return "/" + project.fullPath();
        }
    }

    /** {@code /:project/-/pipelines/:id}: the stages as columns, each job with its status and what it needs. */
    public record PipelinePage(PageFrame frame, PipelinesUseCase.PipelineView view, List<Stage> stages) {
        public String projectUrl() {
            return "/" + view.project().fullPath();
        }
    }

    /** One column of a pipeline. */
    public record Stage(String name, List<JobView> jobs) {
    }
}
