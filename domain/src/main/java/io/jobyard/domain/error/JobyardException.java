package io.jobyard.domain.error;

import java.util.Optional;

/**
 * The one unchecked root of every refusal Jobyard raises. Subclasses carry meaning (not found, forbidden,
 * conflict, ...); the HTTP adapter maps them to GitLab's status codes and bodies in one place.
 *
 * <p>A refusal may also say that it turned away a presented credential which matches nothing Jobyard issued — an
 * unknown personal access, job or runner token: what a client guessing tokens gets. It names the credential by its
 * SHA-256 digest, never the secret, so the HTTP layer can count distinct guesses per client address and throttle
 * them. A real token refused for another reason (expired, revoked, its user blocked, its job finished) is no guess and
 * says nothing.
 */
public abstract class JobyardException extends RuntimeException {
    private final String guessedCredential;

    protected JobyardException(String message) {
        this(message, null, null);
    }

    protected JobyardException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** @param guessedCredential the digest of a presented credential that matches nothing, or null */
    protected JobyardException(String message, Throwable cause, String guessedCredential) {
        super(message, cause);
        this.guessedCredential = guessedCredential;
    }

    /** The digest of the presented credential this refusal found to match nothing, when it is such a refusal. */
    public Optional<String> guessedCredential() {
        return Optional.ofNullable(guessedCredential);
    }
}
