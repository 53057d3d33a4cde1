package io.jobyard.domain.event;

import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.Objects;

/**
 * One committed status change of a job or a pipeline, as the event log keeps it: written in the same transaction as
 * the change, so the log holds exactly the changes that happened.
 *
 * @param id         the log's own id, increasing in the order the log assigned them (not necessarily commit order
 *                   across projects)
 * @param seq        the per-project sequence number: within a project, increasing in commit order with no event ever
 *                   committed behind one already visible, so a reader that saw {@code seq} has seen every smaller one
 *                   (the {@code id} of issue 16's event stream); 0 for an event made up to test a hook, which the
 *                   log never holds
 * @param job        the job for {@link EventKind#JOB}, null for a pipeline event
 * @param previous   the status left, or null for a job or pipeline that was just created
 * @param uuid       the event's identity across every hook it is sent to (GitLab's {@code X-Gitlab-Event-UUID})
 * @param recordedAt when the change was recorded, just before its commit
 */
public record StatusEvent(long id, ProjectId project, long seq, EventKind kind, JobId job, PipelineId pipeline,
                          JobStatus status, JobStatus previous, String uuid, Instant recordedAt) {
    public StatusEvent {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(recordedAt, "recordedAt");
        if ((kind == EventKind.JOB) != (job != null)) {
            throw new IllegalArgumentException("a job event names its job, a pipeline event none");
        }
        if (seq < 0) {
            throw new IllegalArgumentException("sequence numbers are never negative");
        }
    }

    /** A change about to be recorded: the log gives it its id, sequence number, uuid and time. */
    public record Change(ProjectId project, EventKind kind, JobId job, PipelineId pipeline, JobStatus status,
                         JobStatus previous) {
        public Change {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(status, "status");
            if ((kind == EventKind.JOB) != (job != null)) {
                throw new IllegalArgumentException("a job event names its job, a pipeline event none");
            }
        }

        public static Change ofJob(ProjectId project, JobId job, PipelineId pipeline, JobStatus previous,
                                   JobStatus status) {
            return new Change(project, EventKind.JOB, job, pipeline, status, previous);
        }

        public static Change ofPipeline(ProjectId project, PipelineId pipeline, JobStatus previous, JobStatus status) {
            return new Change(project, EventKind.PIPELINE, null, pipeline, status, previous);
        }
    }
}
