package io.jobyard.domain.error;

/**
 * What was asked for is no longer offered here, for good: GitLab's {@code 410 Gone} with a reason, e.g. runner
 * registration with a registration token once an instance has disabled it ("410 Gone - runner registration
 * disallowed").
 */
public final class GoneException extends JobyardException {
    private final String reason;

    public GoneException(String reason) {
        super("gone: " + reason);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
