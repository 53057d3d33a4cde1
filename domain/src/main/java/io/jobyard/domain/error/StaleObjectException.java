package io.jobyard.domain.error;

/**
 * A repository refused an update because the record changed since it was read (its lock version moved on). Use cases
 * retry from a fresh read; only when retries run out does the client see a 409.
 */
public final class StaleObjectException extends ConflictException {
    public StaleObjectException(String what) {
        super(what + " was changed by someone else");
    }
}
