package io.jobyard.domain.error;

/** A state machine event that the current status does not allow (GitLab's bang transitions raise these). */
public final class InvalidTransitionException extends JobyardException {
    public InvalidTransitionException(String message) {
        super(message);
    }
}
