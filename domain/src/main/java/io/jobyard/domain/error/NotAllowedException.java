package io.jobyard.domain.error;

/**
 * GitLab's {@code not_allowed!}: the operation exists but not for these credentials, answered 405
 * {@code {"message":"405 Method Not Allowed"}} (rotating "self" when no personal access token authenticated the
 * request).
 */
public final class NotAllowedException extends JobyardException {
    public NotAllowedException(String message) {
        super(message);
    }
}
