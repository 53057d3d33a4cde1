package io.jobyard.domain.error;

/** The request collides with existing state (a taken path, a duplicate artifact) or lost a race. */
public class ConflictException extends JobyardException {
    public ConflictException(String message) {
        super(message);
    }

    /** An optimistic lock lost after the bounded retries: GitLab says "409 Conflict: Resource lock". */
    public static ConflictException resourceLock() {
        return new ConflictException("409 Conflict: Resource lock");
    }
}
