package io.jobyard.application.service.session;

import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.session.SignInUseCase;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.port.out.PasswordHasher;
import io.jobyard.application.port.out.PasswordRepository;
import io.jobyard.application.port.out.PasswordRepository.StoredPassword;
import io.jobyard.application.port.out.WebSessionRepository;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.session.SessionPolicy;
import io.jobyard.domain.session.SignInMethod;
import io.jobyard.domain.session.WebSession;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.SignInLockout;
import io.jobyard.domain.user.User;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Sign-in with a password or a personal access token, and sign-out. Every sign-in makes a new session id (a session
 * id planted before sign-in is never promoted), stored as its digest.
 *
 * <p>A wrong password, an unknown username and a user without a password are one answer, and cost the same: for a
 * user without a hash, a stand-in hash is verified, so the time taken does not tell which usernames exist. Only after
 * the right password is a blocked user told so, as GitLab does. A hash made with older parameters is replaced on the
 * next successful sign-in.
 *
 * <p>Guessing is slowed by {@link SignInLockout}: after 10 wrong passwords in a row the account's password stops
 * working for 10 minutes. A locked account gets the same answer as a wrong password, even for the right one — telling
 * "locked" only for the right password would confirm a guess while the lock holds.
 */
public final class SignInService implements SignInUseCase {
    private final UserRepository users;
    private final PasswordRepository passwords;
    private final PasswordHasher hasher;
    private final WebSessionRepository sessions;
    private final AuthenticateUseCase tokens;
    private final SessionPolicy policy;
    private final SignInLockout lockout;
    private final Clock clock;
    private volatile String standIn;

    /** @param tokens checks personal access tokens as the API does (expired and revoked ones with GitLab's messages) */
    public SignInService(UserRepository users, PasswordRepository passwords, PasswordHasher hasher,
                         WebSessionRepository sessions, AuthenticateUseCase tokens, SessionPolicy policy,
                         SignInLockout lockout, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.lockout = Objects.requireNonNull(lockout, "lockout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public SignedIn withPassword(String username, String password) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new UnauthorizedException(INVALID_LOGIN);
        }
        Optional<User> user = users.findByUsername(username);
        Optional<StoredPassword> stored = user.flatMap(u -> passwords.find(u.id()));
        boolean matches;
        if (stored.isPresent()) {
            matches = hasher.verify(password, stored.get().hash());
        } else {
            hasher.verify(password, standIn());
            matches = false;
        }
        Instant now = clock.instant();
        if (stored.isPresent() && lockout.locked(stored.get().lockedUntil(), now)) {
            throw new UnauthorizedException(INVALID_LOGIN);
        }
        if (!matches) {
            if (stored.isPresent() && lockout.locksAfter(passwords.recordFailure(user.get().id()))) {
                passwords.lock(user.get().id(), now.plus(lockout.lockFor()));
            }
            throw new UnauthorizedException(INVALID_LOGIN);
        }
        User found = user.get();
        if (stored.get().failedAttempts() > 0 || stored.get().lockedUntil() != null) {
            passwords.clearFailures(found.id());
        }
        if (!found.active()) {
            throw new UnauthorizedException(BLOCKED);
        }
        if (hasher.needsRehash(stored.get().hash())) {
            passwords.save(found.id(), hasher.hash(password), now);
        }
        return open(found, SignInMethod.PASSWORD, null);
    }

    @Override
    public SignedIn withAccessToken(String token) {
        Actor actor = tokens.byAccessToken(token);
        User user = actor.user().orElseThrow(() -> new UnauthorizedException(INVALID_LOGIN));
        // The session stays bound to the token, so it ends when the token does: only a token Jobyard stores can be
        // watched that way (a host's own authentication keeps its own sessions).
        AccessToken stored = users.findTokenByDigest(SecretTokens.digest(token))
                .filter(t -> t.userId().equals(user.id()))
                .orElseThrow(() -> new UnauthorizedException(WebSessionService.UNAUTHORIZED));
        return open(user, SignInMethod.ACCESS_TOKEN, stored.id());
    }

    @Override
    public void signOut(String sessionId) {
        if (sessionId == null || sessionId.isEmpty() || sessionId.length() > SessionSecrets.MAX_ID_LENGTH) {
            return;
        }
        sessions.delete(SessionSecrets.digest(sessionId));
    }

    private SignedIn open(User user, SignInMethod method, Long tokenId) {
        String id = SessionSecrets.newSessionId();
        Instant now = clock.instant();
        WebSession session = new WebSession(SessionSecrets.digest(id), user.id(), method, tokenId, now, now);
        sessions.insert(session);
        return new SignedIn(id, user, policy.expiresAt(session));
    }

    /** A hash of nothing anyone knows, made once with the current parameters, to verify against for timing only. */
    private String standIn() {
        String value = standIn;
        if (value == null) {
            value = hasher.hash(SecretTokens.generate("stand-in-"));
            standIn = value;
        }
        return value;
    }
}
