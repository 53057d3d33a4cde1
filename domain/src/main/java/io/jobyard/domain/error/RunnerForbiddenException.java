package io.jobyard.domain.error;

import io.jobyard.domain.job.JobStatus;

import java.util.Optional;

/**
 * A runner-facing job request (state update, log append, artifact upload) refused with 403. GitLab's runner endpoints
 * answer {@code "403 Forbidden"} or {@code "403 Forbidden - <reason>"}, and for a job that no longer executes they also
 * send {@code Job-Status: <status>}: the runner reads that header to stop working on a canceled or finished job.
 */
public final class RunnerForbiddenException extends JobyardException {
    private final String reason;
    private final JobStatus jobStatus;

    /**
     * @param reason    shown after "403 Forbidden - ", or null for a bare "403 Forbidden"
     * @param jobStatus sent as {@code Job-Status}, or null when the header is not sent
     */
    public RunnerForbiddenException(String reason, JobStatus jobStatus) {
        this(reason, jobStatus, null);
    }

    private RunnerForbiddenException(String reason, JobStatus jobStatus, String guessedCredential) {
        super(reason == null ? "forbidden" : "forbidden: " + reason, null, guessedCredential);
        this.reason = reason;
        this.jobStatus = jobStatus;
    }

    /** A bare "403 Forbidden": the job is unknown or the token is not its own; nothing more is revealed. */
    public static RunnerForbiddenException plain() {
        return new RunnerForbiddenException(null, null);
    }

    /** The bare "403 Forbidden" for a presented job token, whose digest is {@code digest}, that is no job's token. */
    public static RunnerForbiddenException unknownCredential(String digest) {
        return new RunnerForbiddenException(null, null, digest);
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** The status for the {@code Job-Status} header, when GitLab sends one. */
    public Optional<JobStatus> jobStatus() {
        return Optional.ofNullable(jobStatus);
    }
}
