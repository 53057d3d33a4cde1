package io.jobyard.domain.error;

/** No identity, or one that cannot be trusted (unknown, expired or revoked token, job token of a finished job). */
public final class UnauthorizedException extends JobyardException {
    public UnauthorizedException(String message) {
        super(message);
    }

    private UnauthorizedException(String message, String guessedCredential) {
        super(message, null, guessedCredential);
    }

    /** A presented token, whose digest is {@code digest}, that matches no token Jobyard issued. */
    public static UnauthorizedException unknownCredential(String message, String digest) {
        return new UnauthorizedException(message, digest);
    }
}
