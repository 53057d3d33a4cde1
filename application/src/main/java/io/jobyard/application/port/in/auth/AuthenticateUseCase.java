package io.jobyard.application.port.in.auth;

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
     * A personal access token presented to rotate a token ({@code POST /personal_access_tokens/:id/rotate} or
     * {@code /self/rotate}). As {@link #byAccessToken}; in addition, GitLab's reuse detection: a token that rotation
     * already replaced, presented again, means one of its copies is in the wrong hands, so the tokens rotated from it
     * are revoked too and whoever holds them must re-authorize.
     */
    default Actor byAccessTokenForRotation(String token) {
        return byAccessToken(token);
    }

    /**
     * A CI job token. Valid only while its job is running or canceling and not erased.
     *
     * @throws io.jobyard.domain.error.UnauthorizedException otherwise
     */
    Actor byJobToken(String token);
}
