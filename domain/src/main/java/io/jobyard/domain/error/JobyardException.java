package io.jobyard.domain.error;

/**
 * The one unchecked root of every refusal Jobyard raises. Subclasses carry meaning (not found, forbidden,
 * conflict, ...); the HTTP adapter maps them to GitLab's status codes and bodies in one place.
 */
public abstract class JobyardException extends RuntimeException {
    protected JobyardException(String message) {
        super(message);
    }

    protected JobyardException(String message, Throwable cause) {
        super(message, cause);
    }
}
