package io.jobyard.application.service.runner;

import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.domain.error.RunnerForbiddenException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Authenticates a runner's request about one job ({@code PUT /jobs/:id}, {@code PATCH /jobs/:id/trace},
 * {@code POST /jobs/:id/artifacts}) by the job's id and its raw CI token, in the order of GitLab's
 * {@code authenticate_job!} (contract §5.2). Every refusal is a 403 — never a 404, which a proxy could also produce —
 * and a job that no longer executes is named by its status, so the runner knows to stop.
 */
public final class JobTokenAuthenticator {
    static final String PROJECT_DELETED = "Project has been deleted!";
    static final String JOB_ERASED = "Job has been erased!";
    static final String NOT_PROCESSING = "Job is not processing on runner";
    static final String TOKEN_EXPIRED = "Job token has expired";

    /** What an expired token does to its job. */
    public enum OnExpiry {
        /** State updates and log appends: the job is dropped with {@code job_token_expired}, as GitLab does. */
        DROP_JOB,
        /** Other requests (artifact uploads): refused, the job left as it is. */
        KEEP_JOB
    }

    private final JobRepository jobs;
    private final ProjectRepository projects;
    private final JobFinisher finisher;
    private final RunnerSettings settings;
    private final Clock clock;

    public JobTokenAuthenticator(JobRepository jobs, ProjectRepository projects, JobFinisher finisher,
                                 RunnerSettings settings, Clock clock) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.finisher = Objects.requireNonNull(finisher, "finisher");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @return the job, which is running or canceling
     * @throws RunnerForbiddenException bare for an unknown job or a token that is not its own (a guess, when a token
     *         was presented); "Project has been
     *         deleted!"; "Job has been erased!"; "Job is not processing on runner" and "Job token has expired" with the
     *         job's status (after the drop, for {@link OnExpiry#DROP_JOB})
     */
    public Job authenticate(JobId id, String token, OnExpiry onExpiry) {
        Objects.requireNonNull(onExpiry, "onExpiry");
        Job job = ownJob(id, token);
        if (projects.findById(job.projectId()).isEmpty()) {
            throw new RunnerForbiddenException(PROJECT_DELETED, null);
        }
        requireExecuting(job);
        Instant now = clock.instant();
        if (expired(job, now)) {
            Job after = onExpiry == OnExpiry.DROP_JOB
                    ? finisher.finish(job.id(), fresh -> fresh.status().isExecuting() && expired(fresh, now)
                            ? fresh.drop(FailureReason.JOB_TOKEN_EXPIRED, null, now)
                            : fresh)
                    : job;
            throw new RunnerForbiddenException(TOKEN_EXPIRED, after.status());
        }
        return job;
    }

    /**
     * The job again, a moment after {@link #authenticate} let a request about it in: whether it still executes (for an
     * append, whether its log will be archived later, with the bytes just stored). One read of the job, no more: the
     * project's existence and the token's expiry were checked at the request's start, and neither decides where the
     * request's bytes are.
     *
     * @throws RunnerForbiddenException as {@link #authenticate} for a job that is gone, erased or no longer executing
     */
    public Job recheck(JobId id, String token) {
        Job job = ownJob(id, token);
        requireExecuting(job);
        return job;
    }

    private Job ownJob(JobId id, String token) {
        return Optional.ofNullable(id).flatMap(jobs::findById)
                .filter(j -> SecretTokens.matches(token, j.tokenDigest()))
                .orElseThrow(() -> token == null || token.isEmpty() ? RunnerForbiddenException.plain()
                        : RunnerForbiddenException.unknownCredential(SecretTokens.digest(token)));
    }

    private static void requireExecuting(Job job) {
        if (job.erased()) {
            throw new RunnerForbiddenException(JOB_ERASED, null);
        }
        if (!job.status().isExecuting()) {
            throw new RunnerForbiddenException(NOT_PROCESSING, job.status());
        }
    }

    private boolean expired(Job job, Instant now) {
        return settings.tokenExpiresAt(job).map(now::isAfter).orElse(false);
    }
}
