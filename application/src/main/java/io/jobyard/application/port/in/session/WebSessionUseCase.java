package io.jobyard.application.port.in.session;

import io.jobyard.domain.access.Actor;

/**
 * What a request presenting a session id may do: who it acts as, and the CSRF token its forms carry.
 *
 * <p>CSRF tokens are bound to the session: derived from the session id (which only the browser and nobody reading the
 * database has) and masked with a fresh random pad every time one is handed out, as Rails masks its authenticity
 * tokens, so no two pages carry the same bytes (compression side channels learn nothing across responses). Any token
 * handed out for a session verifies for that session, and for no other.
 */
public interface WebSessionUseCase {

    /**
     * The session's user, with the rights it was signed in with. Using a session keeps it alive (idle timeout).
     *
     * @throws io.jobyard.domain.error.UnauthorizedException unknown, signed out, expired (idle or absolute), its user
     *                                                       blocked or deleted, or its token no longer valid
     */
    Actor authenticate(String sessionId);

    /** A CSRF token for a form of this session (a new masking each call). The session is not checked here. */
    String csrfToken(String sessionId);

    /**
     * @throws io.jobyard.domain.error.ForbiddenException when {@code token} is missing or was not handed out for
     *                                                    {@code sessionId}
     */
    void verifyCsrf(String sessionId, String token);
}
