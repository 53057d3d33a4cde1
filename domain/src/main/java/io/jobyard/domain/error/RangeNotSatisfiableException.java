package io.jobyard.domain.error;

/**
 * A byte range that does not fit: a trace append that does not start at the current length, or a read past the end.
 * Carries the current length so the runner (or HTTP client) can resume from there.
 */
public final class RangeNotSatisfiableException extends JobyardException {
    private final long currentLength;

    public RangeNotSatisfiableException(long currentLength) {
        super("range not satisfiable; current length " + currentLength);
        this.currentLength = currentLength;
    }

    public long currentLength() {
        return currentLength;
    }
}
