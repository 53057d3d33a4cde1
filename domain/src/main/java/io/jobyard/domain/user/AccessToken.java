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
 * @param expiresAt the date it stops working (GitLab expires tokens at the start of that day, UTC), or null
 */
public record AccessToken(
        long id,
        UserId userId,
        String name,
        String digest,
        Set<TokenScope> scopes,
        LocalDate expiresAt,
        boolean revoked,
        Instant createdAt) {

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

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt.atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    public boolean canWrite() {
        return scopes.contains(TokenScope.API);
    }
}
