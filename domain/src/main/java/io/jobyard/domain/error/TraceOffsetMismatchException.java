package io.jobyard.domain.error;

/**
 * A log append that does not start where the job's log ends (a part lost or sent twice). Carries the log's current
 * length: GitLab answers {@code 416} with {@code Range: 0-<length>}, and the runner resends from there. Not a
 * download's unsatisfiable range ({@link RangeNotSatisfiableException}), which is answered with
 * {@code Content-Range: bytes *}{@code /<size>}.
 */
public final class TraceOffsetMismatchException extends JobyardException {
    private final long currentLength;

    public TraceOffsetMismatchException(long currentLength) {
        super("log append at the wrong offset; the log is " + currentLength + " bytes long");
        this.currentLength = currentLength;
    }

    /** Where the runner must resend from. */
    public long currentLength() {
        return currentLength;
    }
}
