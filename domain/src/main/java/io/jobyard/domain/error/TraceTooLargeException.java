package io.jobyard.domain.error;

/**
 * A log append that would take the job's log past the size limit. The job has been dropped with
 * {@code trace_size_exceeded} before this is thrown; GitLab's runner endpoint then answers
 * {@code error!('403 Forbidden', 403)} — a bare 403 in the {@code error} shape, without the {@code Job-Status} an
 * authentication refusal ({@link RunnerForbiddenException}) may carry.
 */
public final class TraceTooLargeException extends JobyardException {
    public TraceTooLargeException() {
        super("the log would exceed its size limit; the job was dropped");
    }
}
