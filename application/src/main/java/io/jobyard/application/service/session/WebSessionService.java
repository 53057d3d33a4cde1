package io.jobyard.application.service.session;

import io.jobyard.application.port.in.session.WebSessionUseCase;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.port.out.WebSessionRepository;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.session.SessionPolicy;
import io.jobyard.domain.session.SignInMethod;
import io.jobyard.domain.session.WebSession;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Requests that present a session id: the session is looked up by the id's digest and checked on every use — expiry
 * (idle and absolute), its user still existing and active, the token it was signed in with still valid — and a
 * session that fails any of these is deleted on the spot. Use is recorded coarsely ({@link SessionPolicy}).
 */
public final class WebSessionService implements WebSessionUseCase {
    public static final String UNAUTHORIZED = "401 Unauthorized";
    public static final String CSRF_INVALID = "CSRF token is missing or invalid";

    private final WebSessionRepository sessions;
    private final UserRepository users;
    private final Transactor transactor;
    private final SessionPolicy policy;
    private final Clock clock;

    public WebSessionService(WebSessionRepository sessions, UserRepository users, Transactor transactor,
                             SessionPolicy policy, Clock clock) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.users = Objects.requireNonNull(users, "users");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Actor authenticate(String sessionId) {
        if (sessionId == null || sessionId.isEmpty() || sessionId.length() > SessionSecrets.MAX_ID_LENGTH) {
            throw new UnauthorizedException(UNAUTHORIZED);
        }
        String digest = SessionSecrets.digest(sessionId);
        return transactor.reading(() -> {
            WebSession session = sessions.findByDigest(digest)
                    .orElseThrow(() -> new UnauthorizedException(UNAUTHORIZED));
            Instant now = clock.instant();
            User user = users.findById(session.userId()).filter(User::active).orElse(null);
            Set<TokenScope> scopes = Set.of(TokenScope.API);
            boolean valid = !policy.expired(session, now) && user != null;
            if (valid && session.method() == SignInMethod.ACCESS_TOKEN) {
                AccessToken token = users.tokensOf(user.id()).stream()
                        .filter(t -> t.id() == session.tokenId()).findFirst().orElse(null);
                valid = token != null && !token.revoked() && !token.expired(now);
                scopes = token == null ? Set.of() : token.scopes();
            }
            if (!valid) {
                sessions.delete(digest);
                throw new UnauthorizedException(UNAUTHORIZED);
            }
            if (policy.needsTouch(session, now)) {
                sessions.touch(digest, now);
            }
            return new Actor.UserActor(user, scopes);
        });
    }

    @Override
    public String csrfToken(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return SessionSecrets.csrfToken(sessionId);
    }

    @Override
    public void verifyCsrf(String sessionId, String token) {
        if (!SessionSecrets.csrfMatches(sessionId, token)) {
            throw new ForbiddenException(CSRF_INVALID);
        }
    }

    /** Deletes the sessions that have expired (the background sweep): they would be refused anyway. */
    public int sweepExpired() {
        Instant now = clock.instant();
        return sessions.deleteExpired(policy.idleCutoff(now), policy.ageCutoff(now));
    }
}
