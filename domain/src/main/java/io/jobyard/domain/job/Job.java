package io.jobyard.domain.job;

import io.jobyard.domain.error.InvalidTransitionException;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.text.TextLimit;
import io.jobyard.domain.user.UserId;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A CI job (GitLab's Ci::Build). Immutable: every transition returns a new record. Nullable components are the ones
 * GitLab serializes as {@code null} (timestamps, runner, user, coverage, failure reason).
 *
 * @param retried         a newer job with the same name replaced this one in its pipeline
 * @param retriedFrom     the job this one is a retry of (retry lineage), or null
 * @param autoRetries     how many automatic ({@code retry:}) retries precede this job in its lineage
 * @param tokenDigest     SHA-256 digest (hex) of the job's CI token while it has one; never the token itself
 * @param degenerated     the job's configuration was purged; it counts as archived
 * @param lockVersion     optimistic lock: a repository update succeeds only against the version it read
 */
public record Job(
        JobId id,
        ProjectId projectId,
        PipelineId pipelineId,
        JobSpec spec,
        JobStatus status,
        String ref,
        boolean tag,
        UserId userId,
        RunnerId runnerId,
        Double coverage,
        FailureReason failureReason,
        Integer exitCode,
        Instant createdAt,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant scheduledAt,
        Instant waitingForResourceAt,
        Instant updatedAt,
        Instant erasedAt,
        UserId erasedBy,
        Instant artifactsExpireAt,
        boolean retried,
        JobId retriedFrom,
        int autoRetries,
        String tokenDigest,
        boolean degenerated,
        long lockVersion) {

    private static final Set<JobStatus> RETRYABLE =
            EnumSet.of(JobStatus.SUCCESS, JobStatus.FAILED, JobStatus.CANCELED, JobStatus.CANCELING);

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(ref, "ref");
        TextLimit.REF.require(ref);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (status == JobStatus.FAILED && failureReason == null) {
            failureReason = FailureReason.UNKNOWN_FAILURE;
        }
        if (lockVersion < 0) {
            throw new IllegalArgumentException("lock version must not be negative");
        }
    }

    /** A new job in status {@code created}, as pipeline creation makes it. */
    public static Job create(JobId id, ProjectId projectId, PipelineId pipelineId, JobSpec spec, String ref,
                             boolean tag, UserId userId, Instant now) {
        return new Builder()
                .id(id).projectId(projectId).pipelineId(pipelineId).spec(spec).status(JobStatus.CREATED)
                .ref(ref).tag(tag).userId(userId).createdAt(now).updatedAt(now)
                .build();
    }

    public String name() {
        return spec.name();
    }

    public String stage() {
        return spec.stage();
    }

    public boolean allowFailure() {
        return spec.allowFailure();
    }

    // ----------------------------------------------------------------------------------------------- transitions

    /**
     * Fires {@code event} as GitLab's bang transition does: the new job, or {@link InvalidTransitionException} when
     * the current status does not allow it.
     */
    public Job apply(JobEvent event, TransitionContext context, Instant now) {
        return tryApply(event, context, now).orElseThrow(() -> new InvalidTransitionException(
                "cannot " + event.name().toLowerCase(java.util.Locale.ROOT) + " a job that is " + status.wireName()));
    }

    /** Fires {@code event} as GitLab's non-bang transition does: empty (nothing changes) when it does not apply. */
    public Optional<Job> tryApply(JobEvent event, TransitionContext context, Instant now) {
        return status.next(event, context).map(target -> enter(event, target, now));
    }

    private Job enter(JobEvent event, JobStatus target, Instant now) {
        Builder next = toBuilder().status(target).updatedAt(now);
        if (target == JobStatus.PENDING && Set.of(JobStatus.CREATED, JobStatus.WAITING_FOR_RESOURCE,
                JobStatus.PREPARING, JobStatus.SKIPPED, JobStatus.MANUAL, JobStatus.SCHEDULED).contains(status)) {
            next.queuedAt(now);
        }
        if (target == JobStatus.RUNNING
                && Set.of(JobStatus.CREATED, JobStatus.PREPARING, JobStatus.PENDING).contains(status)) {
            next.startedAt(now);
        }
        if (target == JobStatus.SUCCESS || target == JobStatus.FAILED || target == JobStatus.CANCELED) {
            next.finishedAt(now);
        }
        if (target == JobStatus.WAITING_FOR_RESOURCE) {
            next.waitingForResourceAt(now);
        }
        if (target == JobStatus.SCHEDULED) {
            next.scheduledAt(now.plus(spec.startIn() == null ? Duration.ZERO : spec.startIn()));
        } else if (status == JobStatus.SCHEDULED) {
            next.scheduledAt(null);
        }
        if (target == JobStatus.FAILED && failureReason == null) {
            next.failureReason(FailureReason.UNKNOWN_FAILURE);
        }
        if (event == JobEvent.PROCESS) {
            // A job brought back to processing starts a fresh run: the previous run's times do not belong to it.
            next.queuedAt(null).startedAt(null).finishedAt(null).exitCode(null).failureReason(null);
        }
        return next.build();
    }

    /** Runner picked the job: pending → running, with the runner and the digest of the job token it was given. */
    public Job run(RunnerId runner, String newTokenDigest, Instant now) {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(newTokenDigest, "newTokenDigest");
        return toBuilder().runnerId(runner).tokenDigest(newTokenDigest).build()
                .apply(JobEvent.RUN, TransitionContext.plain(), now);
    }

    /** The runner reported failure (or Jobyard gave up on the job): → failed, or canceling → canceled. */
    public Job drop(FailureReason reason, Integer code, Instant now) {
        Job dropped = toBuilder().failureReason(reason).exitCode(code).build()
                .apply(JobEvent.DROP, TransitionContext.plain(), now);
        return dropped.status == JobStatus.FAILED
                ? dropped
                : dropped.toBuilder().failureReason(null).exitCode(null).build();
    }

    /** The runner reported success: → success, or canceling → canceled. */
    public Job succeed(Instant now) {
        return apply(JobEvent.SUCCEED, TransitionContext.plain(), now);
    }

    /**
     * GitLab's non-bang {@code cancel}: the canceled (or canceling) job, or this job unchanged when it cannot be
     * canceled — the API never errors on state here.
     */
    public Job cancel(boolean gracefulCancelSupported, Instant now) {
        return tryApply(JobEvent.CANCEL, TransitionContext.plain().withGracefulCancel(gracefulCancelSupported), now)
                .orElse(this);
    }

    /** {@code force_cancel}: canceling → canceled; unchanged otherwise. */
    public Job forceCancel(Instant now) {
        return tryApply(JobEvent.FORCE_CANCEL, TransitionContext.plain().withGracefulCancel(true), now).orElse(this);
    }

    /**
     * The job a retry creates: same definition, ref and pipeline, a new id, the retrying user, status created, no
     * runtime state. Pipeline processing then enqueues it.
     */
    public Job retryAs(JobId newId, UserId retriedBy, boolean automatic, Instant now) {
        Objects.requireNonNull(newId, "newId");
        return new Builder()
                .id(newId).projectId(projectId).pipelineId(pipelineId).spec(spec).status(JobStatus.CREATED)
                .ref(ref).tag(tag).userId(retriedBy == null ? userId : retriedBy)
                .createdAt(now).updatedAt(now).retriedFrom(id)
                .autoRetries(automatic ? autoRetries + 1 : autoRetries)
                .build();
    }

    /** This job, replaced by a newer one of the same name. */
    public Job markRetried(Instant now) {
        return toBuilder().retried(true).updatedAt(now).build();
    }

    /** Erase: the caller has removed artifacts and log; the job records who and when. */
    public Job erase(UserId by, Instant now) {
        if (!status.isComplete()) {
            throw new InvalidTransitionException("cannot erase a job that is " + status.wireName());
        }
        return toBuilder().erasedAt(now).erasedBy(by).artifactsExpireAt(null).updatedAt(now).build();
    }

    /** Keep: the artifacts no longer expire. */
    public Job keepArtifacts(Instant now) {
        return toBuilder().artifactsExpireAt(null).updatedAt(now).build();
    }

    public Job withArtifactsExpireAt(Instant expireAt, Instant now) {
        return toBuilder().artifactsExpireAt(expireAt).updatedAt(now).build();
    }

    /** Who plays a manual job becomes its user; given variables replace the job's own. */
    public Job playedBy(UserId user, java.util.List<JobVariable> variables, Instant now) {
        JobSpec newSpec = variables == null ? spec : spec.withVariables(variables);
        return toBuilder().userId(user).spec(newSpec).updatedAt(now).build();
    }

    /** Used by repositories after a successful optimistic update. */
    public Job withLockVersion(long version) {
        return toBuilder().lockVersion(version).build();
    }

    public Job withCoverage(Double value) {
        return toBuilder().coverage(value).build();
    }

    /** The job token is revoked (job finished, erased). */
    public Job withoutToken() {
        return toBuilder().tokenDigest(null).build();
    }

    // ------------------------------------------------------------------------------------------------ predicates

    /** GitLab's {@code cancelable?}: (active or created) and not canceling. */
    public boolean cancelable() {
        return (status.isActive() || status == JobStatus.CREATED) && status != JobStatus.CANCELING;
    }

    /** GitLab's {@code retryable?}. */
    public boolean retryable(boolean archived) {
        return !retried && !archived && RETRYABLE.contains(status);
    }

    /** GitLab's {@code playable?} for builds. */
    public boolean playable(boolean archived) {
        return spec.isAction() && !archived
                && (status == JobStatus.MANUAL || status == JobStatus.SCHEDULED || retryable(archived));
    }

    /** GitLab's {@code erasable?}: complete, and something left to erase. */
    public boolean erasable(boolean hasArtifactsOrTrace) {
        return status.isComplete() && hasArtifactsOrTrace;
    }

    public boolean erased() {
        return erasedAt != null;
    }

    /** {@code artifacts_expired?}: the expiry time is in the past ({@code artifacts_expire_at < Time.current}). */
    public boolean artifactsExpired(Instant now) {
        return artifactsExpireAt != null && artifactsExpireAt.isBefore(now);
    }

    /** GitLab's {@code duration}: seconds from start to finish (or now while running); empty if never started. */
    public Optional<Double> duration(Instant now) {
        if (startedAt == null) {
            return Optional.empty();
        }
        return Optional.of(seconds(startedAt, finishedAt != null ? finishedAt : now));
    }

    /** GitLab's {@code queued_duration}: seconds from queued to start (or now); empty if never queued. */
    public Optional<Double> queuedDuration(Instant now) {
        if (queuedAt == null) {
            return Optional.empty();
        }
        return Optional.of(seconds(queuedAt, startedAt != null ? startedAt : now));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1_000_000_000.0;
    }

    // --------------------------------------------------------------------------------------------------- builder

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds jobs for repositories and tests; the record's constructor still validates. */
    public static final class Builder {
        private JobId id;
        private ProjectId projectId;
        private PipelineId pipelineId;
        private JobSpec spec;
        private JobStatus status = JobStatus.CREATED;
        private String ref;
        private boolean tag;
        private UserId userId;
        private RunnerId runnerId;
        private Double coverage;
        private FailureReason failureReason;
        private Integer exitCode;
        private Instant createdAt;
        private Instant queuedAt;
        private Instant startedAt;
        private Instant finishedAt;
        private Instant scheduledAt;
        private Instant waitingForResourceAt;
        private Instant updatedAt;
        private Instant erasedAt;
        private UserId erasedBy;
        private Instant artifactsExpireAt;
        private boolean retried;
        private JobId retriedFrom;
        private int autoRetries;
        private String tokenDigest;
        private boolean degenerated;
        private long lockVersion;

        private Builder() {
        }

        private Builder(Job j) {
            id = j.id; projectId = j.projectId; pipelineId = j.pipelineId; spec = j.spec; status = j.status;
            ref = j.ref; tag = j.tag; userId = j.userId; runnerId = j.runnerId; coverage = j.coverage;
            failureReason = j.failureReason; exitCode = j.exitCode; createdAt = j.createdAt; queuedAt = j.queuedAt;
            startedAt = j.startedAt; finishedAt = j.finishedAt; scheduledAt = j.scheduledAt;
            waitingForResourceAt = j.waitingForResourceAt; updatedAt = j.updatedAt; erasedAt = j.erasedAt;
            erasedBy = j.erasedBy; artifactsExpireAt = j.artifactsExpireAt; retried = j.retried;
            retriedFrom = j.retriedFrom; autoRetries = j.autoRetries; tokenDigest = j.tokenDigest;
            degenerated = j.degenerated; lockVersion = j.lockVersion;
        }

        public Builder id(JobId v) { id = v; return this; }
        public Builder projectId(ProjectId v) { projectId = v; return this; }
        public Builder pipelineId(PipelineId v) { pipelineId = v; return this; }
        public Builder spec(JobSpec v) { spec = v; return this; }
        public Builder status(JobStatus v) { status = v; return this; }
        public Builder ref(String v) { ref = v; return this; }
        public Builder tag(boolean v) { tag = v; return this; }
        public Builder userId(UserId v) { userId = v; return this; }
        public Builder runnerId(RunnerId v) { runnerId = v; return this; }
        public Builder coverage(Double v) { coverage = v; return this; }
        public Builder failureReason(FailureReason v) { failureReason = v; return this; }
        public Builder exitCode(Integer v) { exitCode = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder queuedAt(Instant v) { queuedAt = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder finishedAt(Instant v) { finishedAt = v; return this; }
        public Builder scheduledAt(Instant v) { scheduledAt = v; return this; }
        public Builder waitingForResourceAt(Instant v) { waitingForResourceAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        public Builder erasedAt(Instant v) { erasedAt = v; return this; }
        public Builder erasedBy(UserId v) { erasedBy = v; return this; }
        public Builder artifactsExpireAt(Instant v) { artifactsExpireAt = v; return this; }
        public Builder retried(boolean v) { retried = v; return this; }
        public Builder retriedFrom(JobId v) { retriedFrom = v; return this; }
        public Builder autoRetries(int v) { autoRetries = v; return this; }
        public Builder tokenDigest(String v) { tokenDigest = v; return this; }
        public Builder degenerated(boolean v) { degenerated = v; return this; }
        public Builder lockVersion(long v) { lockVersion = v; return this; }

        public Job build() {
            return new Job(id, projectId, pipelineId, spec, status, ref, tag, userId, runnerId, coverage,
                    failureReason, exitCode, createdAt, queuedAt, startedAt, finishedAt, scheduledAt,
                    waitingForResourceAt, updatedAt, erasedAt, erasedBy, artifactsExpireAt, retried, retriedFrom,
                    autoRetries, tokenDigest, degenerated, lockVersion);
        }
    }
}
