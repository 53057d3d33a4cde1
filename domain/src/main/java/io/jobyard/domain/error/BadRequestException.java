package io.jobyard.domain.error;

import java.util.Optional;

/** The request is understood but refused as it stands ("400 Bad request - Unplayable Job"). */
public final class BadRequestException extends JobyardException {
    private final String reason;

    public BadRequestException(String reason) {
        super(reason == null ? "bad request" : reason);
        this.reason = reason;
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }
}
