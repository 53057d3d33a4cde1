package io.jobyard.domain.error;

/**
 * The request is well formed but cannot be carried out as asked: GitLab's {@code 422} with a message, e.g. a hook
 * whose URL is refused ("Invalid url given") or a hook test whose receiver did not accept it.
 */
public final class UnprocessableException extends JobyardException {
    public UnprocessableException(String message) {
        super(message);
    }
}
