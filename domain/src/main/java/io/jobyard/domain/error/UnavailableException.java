package io.jobyard.domain.error;

/** A backing service (database, object storage) cannot be reached right now; the request may be retried. */
public final class UnavailableException extends JobyardException {
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
