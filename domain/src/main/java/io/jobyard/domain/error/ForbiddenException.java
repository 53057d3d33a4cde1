package io.jobyard.domain.error;

import java.util.Optional;

/**
 * The caller is known but may not do this. The reason, when GitLab gives one, is shown to the client: after
 * {@code "403 Forbidden - "} as GitLab's {@code forbidden!(reason)} has it, or alone where GitLab renders a service's
 * message with {@code render_api_error!} ({@link #verbatim()}).
 */
public final class ForbiddenException extends JobyardException {
    private final String reason;
    private final boolean verbatim;

    public ForbiddenException() {
        this(null, false, null);
    }

    public ForbiddenException(String reason) {
        this(reason, false, null);
    }

    private ForbiddenException(String reason, boolean verbatim, String guessedCredential) {
        super(reason == null ? "forbidden" : "forbidden: " + reason, null, guessedCredential);
        this.reason = reason;
        this.verbatim = verbatim;
    }

    /** A refusal whose message GitLab shows as it is, without the {@code "403 Forbidden - "} prefix. */
    public static ForbiddenException withMessage(String message) {
        return new ForbiddenException(java.util.Objects.requireNonNull(message, "message"), true, null);
    }

    /** A bare "403 Forbidden" for a presented token, whose digest is {@code digest}, that matches nothing. */
    public static ForbiddenException unknownCredential(String digest) {
        return new ForbiddenException(null, false, digest);
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** Whether {@link #reason()} is the whole message. */
    public boolean verbatim() {
        return verbatim;
    }
}
