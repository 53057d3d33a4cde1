package io.jobyard.domain.pipeline;

import io.jobyard.domain.text.TextLimit;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A pipeline: the jobs made from one configuration for one commit. Its status is derived from its latest jobs
 * ({@link CompositeStatus}); {@link #withStatus} records it with the start and finish times it implies.
 *
 * @param iid        the per-project number
 * @param stages     the configuration's stage names in order
 * @param variables  pipeline variables given at creation
 */
public record Pipeline(
        PipelineId id,
        long iid,
        ProjectId projectId,
        String ref,
        boolean tag,
        Commit commit,
        PipelineSource source,
        JobStatus status,
        List<String> stages,
        List<JobVariable> variables,
        UserId userId,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        long lockVersion) {

    public Pipeline {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        TextLimit.REF.require(ref);
        stages = List.copyOf(stages);
        variables = List.copyOf(variables);
        if (iid <= 0) {
            throw new IllegalArgumentException("iid must be positive");
        }
    }

    public String sha() {
        return commit.sha();
    }

    /** The pipeline with a newly derived status; sets started_at on first activity and finished_at on completion. */
    public Pipeline withStatus(JobStatus newStatus, Instant now) {
        if (newStatus == status) {
            return this;
        }
        Instant started = startedAt;
        if (started == null && (newStatus == JobStatus.RUNNING || JobStatus.COMPLETED.contains(newStatus))
                && newStatus != JobStatus.SKIPPED) {
            started = now;
        }
        Instant finished = JobStatus.COMPLETED.contains(newStatus) ? now : null;
        return new Pipeline(id, iid, projectId, ref, tag, commit, source, newStatus, stages, variables, userId,
                createdAt, now, started, finished, lockVersion);
    }

    public Pipeline withLockVersion(long version) {
        return new Pipeline(id, iid, projectId, ref, tag, commit, source, status, stages, variables, userId,
                createdAt, updatedAt, startedAt, finishedAt, version);
    }
}
