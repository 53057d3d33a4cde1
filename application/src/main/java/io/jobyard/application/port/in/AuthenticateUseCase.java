package io.jobyard.application.port.in;

import io.jobyard.domain.access.Actor;

/**
 * Turns presented credentials into an {@link Actor}. A host embedding Jobyard may replace this with its own
 * authentication.
 */
public interface AuthenticateUseCase {

    /**
     * A personal access token.
     *
     * @throws io.jobyard.domain.error.UnauthorizedException when unknown, expired, revoked, or its user is not active
     */
    Actor byAccessToken(String token);

    /**
     * A CI job token. Valid only while its job is running or canceling and not erased.
     *
     * @throws io.jobyard.domain.error.UnauthorizedException otherwise
     */
    Actor byJobToken(String token);
}
