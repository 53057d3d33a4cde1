package io.jobyard.application.port.in.event;

import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The data of GitLab's pipeline hook ({@code Gitlab::DataBuilder::Pipeline}, {@code object_kind: pipeline}).
 *
 * @param user   the pipeline's user, or null
 * @param builds the pipeline's latest jobs (retried ones left out, as GitLab's {@code latest_builds})
 */
public record PipelineHookPayload(StatusEvent event, Pipeline pipeline, Project project, User user,
                                  List<Build> builds, Instant builtAt) implements HookPayload {
    public PipelineHookPayload {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(project, "project");
        builds = List.copyOf(builds);
        Objects.requireNonNull(builtAt, "builtAt");
    }

    /**
     * One job as the pipeline hook lists it.
     *
     * @param archive the job's archive artifact, or null
     */
    public record Build(Job job, User user, Runner runner, JobArtifact archive) {
        public Build {
            Objects.requireNonNull(job, "job");
        }
    }

    @Override
    public String eventHeader() {
        return "Pipeline Hook";
    }

    @Override
    public String trigger() {
        return "pipeline_hooks";
    }
}
