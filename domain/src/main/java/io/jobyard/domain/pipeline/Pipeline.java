package io.jobyard.domain.pipeline;

import io.jobyard.domain.text.TextLimit;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.RepositoryUrl;
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
 * @param beforeSha  the ref's previous head ({@code before_sha}) as the creator told it, or null: GitLab's value for a
 *                   pipeline it cannot tell one for is the blank sha ({@link #effectiveBeforeSha()})
 * @param repository the repository this pipeline's jobs clone instead of their project's, or null
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
        long lockVersion,
        String beforeSha,
        RepositoryUrl repository) {

    /** A pipeline created without a before-sha or a repository of its own. */
    public Pipeline(PipelineId id, long iid, ProjectId projectId, String ref, boolean tag, Commit commit,
                    PipelineSource source, JobStatus status, List<String> stages, List<JobVariable> variables,
                    UserId userId, Instant createdAt, Instant updatedAt, Instant startedAt, Instant finishedAt,
                    long lockVersion) {
        this(id, iid, projectId, ref, tag, commit, source, status, stages, variables, userId, createdAt, updatedAt,
                startedAt, finishedAt, lockVersion, null, null);
    }

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
        if (beforeSha != null && !Commit.isSha(beforeSha)) {
            throw new IllegalArgumentException("before_sha must be 40 or 64 lowercase hex characters");
        }
    }

    /**
     * {@code before_sha} as GitLab sends it: the one given, else {@code Gitlab::Git::SHA1_BLANK_SHA} (or the SHA-256
     * blank sha for a SHA-256 commit), GitLab's value for a new ref, a tag or a pipeline run by hand.
     */
    public String effectiveBeforeSha() {
        return beforeSha != null ? beforeSha : "0".repeat(commit.sha().length());
    }

    /** The same pipeline with the before-sha and repository override its creator gave. */
    public Pipeline withSource(String newBeforeSha, RepositoryUrl newRepository) {
        return new Pipeline(id, iid, projectId, ref, tag, commit, source, status, stages, variables, userId,
                createdAt, updatedAt, startedAt, finishedAt, lockVersion, newBeforeSha, newRepository);
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
                createdAt, now, started, finished, lockVersion, beforeSha, repository);
    }

    public Pipeline withLockVersion(long version) {
        return new Pipeline(id, iid, projectId, ref, tag, commit, source, status, stages, variables, userId,
                createdAt, updatedAt, startedAt, finishedAt, version, beforeSha, repository);
    }
}
