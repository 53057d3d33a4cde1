package io.jobyard.application.port.in;

import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;

import java.util.List;
import java.util.Objects;

/**
 * Creates a pipeline from job definitions and runs the first processing pass (so the first jobs are pending).
 * Parsing {@code .gitlab-ci.yml} into definitions happens before this.
 */
public interface CreatePipelineUseCase {

    Pipeline create(Actor actor, CreatePipelineCommand command);

    /**
     * @param stages the stage names in order; every job's stage must be one of them at its index
     */
    record CreatePipelineCommand(ProjectRef project, String ref, boolean tag, Commit commit, PipelineSource source,
                                 List<String> stages, List<JobSpec> jobs, List<JobVariable> variables) {
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
