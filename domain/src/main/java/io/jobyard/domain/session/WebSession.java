package io.jobyard.domain.session;

import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed-in browser, as stored: never the session id the browser holds, only its SHA-256 digest (hex), so a copy of
 * the database signs nobody in.
 *
 * @param idDigest   the SHA-256 (hex) of the session id
 * @param tokenId    the personal access token it was signed in with ({@link SignInMethod#ACCESS_TOKEN}), else null
 * @param lastSeenAt when it was last used (kept up to date coarsely: see {@link SessionPolicy#needsTouch})
 */
public record WebSession(String idDigest, UserId userId, SignInMethod method, Long tokenId, Instant createdAt,
                         Instant lastSeenAt) {
    public WebSession {
        Objects.requireNonNull(idDigest, "idDigest");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        if (idDigest.length() != 64) {
            throw new IllegalArgumentException("a session is stored under the SHA-256 hex digest of its id");
        }
        if ((method == SignInMethod.ACCESS_TOKEN) != (tokenId != null)) {
            throw new IllegalArgumentException("a token session names its token, a password session none");
        }
        if (lastSeenAt.isBefore(createdAt)) {
            throw new IllegalArgumentException("a session cannot be seen before it was created");
        }
    }

    public WebSession seenAt(Instant now) {
        return new WebSession(idDigest, userId, method, tokenId, createdAt, now);
    }
}
