package io.jobyard.application.port.in.pipeline;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.RepositoryUrl;

import java.util.List;
import java.util.Objects;

/**
 * Creates a pipeline from job definitions and runs the first processing pass (so the first jobs are pending).
 * Parsing {@code .gitlab-ci.yml} into definitions happens before this.
 */
public interface CreatePipelineUseCase {

    Pipeline create(Actor actor, CreatePipelineCommand command);

    /**
     * @param stages     the stage names in order; every job's stage must be one of them at its index
     * @param beforeSha  the ref's previous head, or null (GitLab's blank sha)
     * @param repository the repository the jobs clone instead of the project's, or null
     */
    record CreatePipelineCommand(ProjectRef project, String ref, boolean tag, Commit commit, PipelineSource source,
                                 List<String> stages, List<JobSpec> jobs, List<JobVariable> variables,
                                 String beforeSha, RepositoryUrl repository) {
        /** A pipeline with no before-sha or repository of its own. */
        public CreatePipelineCommand(ProjectRef project, String ref, boolean tag, Commit commit,
                                     PipelineSource source, List<String> stages, List<JobSpec> jobs,
                                     List<JobVariable> variables) {
            this(project, ref, tag, commit, source, stages, jobs, variables, null, null);
        }

        public CreatePipelineCommand {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(commit, "commit");
            Objects.requireNonNull(source, "source");
            stages = List.copyOf(stages);
            jobs = List.copyOf(jobs);
            variables = List.copyOf(variables);
        }
    }
}
