package io.jobyard.domain.error;

/** No identity, or one that cannot be trusted (unknown, expired or revoked token, job token of a finished job). */
public final class UnauthorizedException extends JobyardException {
    public UnauthorizedException(String message) {
        super(message);
    }
}
