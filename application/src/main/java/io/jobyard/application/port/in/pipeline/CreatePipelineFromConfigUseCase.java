package io.jobyard.application.port.in.pipeline;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.RepositoryUrl;
import io.jobyard.domain.text.TextLimit;

import java.util.List;
import java.util.Objects;

/**
 * Creates a pipeline from {@code .gitlab-ci.yml} text — the one given, or the project's stored one — as
 * {@code POST /projects/:id/pipeline} does: access is checked before the configuration is read, a configuration
 * GitLab's lint refuses is a {@link io.jobyard.domain.pipeline.config.CiConfigException}, and none at all is GitLab's
 * "Missing CI config file".
 */
public interface CreatePipelineFromConfigUseCase {

    Pipeline create(Actor actor, CreateFromConfigCommand command);

    /**
     * @param ciConfig  the configuration text, or null for the project's stored one
     * @param variables  the request's {@code variables[]}: they become the pipeline's variables and win over the
     *                   configuration's
     * @param beforeSha  the ref's previous head, or null (GitLab's blank sha)
     * @param repository the repository the jobs clone instead of the project's, or null
     */
    record CreateFromConfigCommand(ProjectRef project, String ref, boolean tag, Commit commit, PipelineSource source,
                                   String ciConfig, List<JobVariable> variables, String beforeSha,
                                   RepositoryUrl repository) {
        /** A pipeline with no before-sha or repository of its own. */
        public CreateFromConfigCommand(ProjectRef project, String ref, boolean tag, Commit commit,
                                       PipelineSource source, String ciConfig, List<JobVariable> variables) {
            this(project, ref, tag, commit, source, ciConfig, variables, null, null);
        }

        public CreateFromConfigCommand {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(ref, "ref");
            // Before the configuration is parsed: an over-long ref is refused without that work.
            TextLimit.REF.require(ref);
            Objects.requireNonNull(commit, "commit");
            Objects.requireNonNull(source, "source");
            variables = List.copyOf(variables);
        }
    }
}
