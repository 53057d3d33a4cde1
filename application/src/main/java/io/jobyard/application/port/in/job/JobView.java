package io.jobyard.application.port.in.job;

import io.jobyard.domain.artifact.JobArtifacts;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;

import java.util.Objects;

/**
 * A job with everything the Job entity shows: its project, pipeline (with commit), user, runner and artifacts.
 *
 * @param user     the job's user, or null
 * @param runner   the runner that ran it, or null
 * @param archived the job counts as archived (cannot be retried, played or kept)
 */
public record JobView(Job job, Project project, Pipeline pipeline, User user, Runner runner, JobArtifacts artifacts,
                      boolean archived) {
    public JobView {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(artifacts, "artifacts");
    }
}
