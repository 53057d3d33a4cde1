package io.jobyard.application.port.in.event;

import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;

import java.time.Instant;
import java.util.Objects;

/**
 * The data of GitLab's job hook ({@code Gitlab::DataBuilder::Build}, {@code object_kind: build}).
 *
 * @param user         the job's user, or null
 * @param runner       the job's runner, or null
 * @param retriesCount how many earlier jobs of the same name in the pipeline were retried (GitLab's
 *                     {@code retries_count})
 */
public record JobHookPayload(StatusEvent event, Job job, Pipeline pipeline, Project project, User user, Runner runner,
                             int retriesCount, Instant builtAt) implements HookPayload {
    public JobHookPayload {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(builtAt, "builtAt");
    }

    @Override
    public String eventHeader() {
        return "Job Hook";
    }

    @Override
    public String trigger() {
        return "job_hooks";
    }
}
