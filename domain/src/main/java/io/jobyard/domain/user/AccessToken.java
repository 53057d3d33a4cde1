package io.jobyard.domain.user;

import io.jobyard.domain.text.TextLimit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;

/**
 * A personal access token as stored: never the secret, only its SHA-256 digest (hex).
 *
 * @param expiresAt       the date it stops working (GitLab expires tokens at the start of that day, UTC), or null
 * @param lastUsedAt      when it last authenticated a request (kept to GitLab's ten-minute precision), or null
 * @param previousTokenId the token this one replaced by rotation, or null: a token's family is the chain of its
 *                        rotations, which GitLab revokes whole when a rotated-away token is presented again
 */
public record AccessToken(
        long id,
        UserId userId,
        String name,
        String digest,
        Set<TokenScope> scopes,
        LocalDate expiresAt,
        boolean revoked,
        Instant createdAt,
        Instant lastUsedAt,
        Long previousTokenId) {

    public AccessToken {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(createdAt, "createdAt");
        TextLimit.TOKEN_NAME.require(name);
        scopes = Set.copyOf(scopes);
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a token needs at least one scope");
        }
    }

    /** A new token: never used, rotated from nothing. */
    public AccessToken(long id, UserId userId, String name, String digest, Set<TokenScope> scopes, LocalDate expiresAt,
                       boolean revoked, Instant createdAt) {
        this(id, userId, name, digest, scopes, expiresAt, revoked, createdAt, null, null);
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt.atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    /** GitLab's {@code active?}: neither revoked nor expired. */
    public boolean active(Instant now) {
        return !revoked && !expired(now);
    }

    public boolean canWrite() {
        return scopes.contains(TokenScope.API);
    }

    public AccessToken revoke() {
        return new AccessToken(id, userId, name, digest, scopes, expiresAt, true, createdAt, lastUsedAt,
                previousTokenId);
    }

    public AccessToken usedAt(Instant when) {
        return new AccessToken(id, userId, name, digest, scopes, expiresAt, revoked, createdAt, when,
                previousTokenId);
    }
}
