package io.jobyard.domain.error;

import java.util.Optional;

/** The caller is known but may not do this. The reason, when GitLab gives one, is shown to the client. */
public final class ForbiddenException extends JobyardException {
    private final String reason;

    public ForbiddenException() {
        super("forbidden");
        this.reason = null;
    }

    public ForbiddenException(String reason) {
        super("forbidden: " + reason);
        this.reason = reason;
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }
}
