package io.jobyard.application.service.admin;

import io.jobyard.application.port.in.admin.AccessTokensUseCase.IssuedToken;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;

/**
 * Mints personal access tokens: a new secret, stored as its digest only, shown once. Who may mint which token, and
 * for how long, the calling use case decides (GitLab's create and rotate services differ in both).
 */
final class TokenIssuer {
    /** GitLab's prefix for personal access tokens; secret scanners recognise it. */
    static final String PREFIX = "glpat-";

    private final UserRepository users;

    TokenIssuer(UserRepository users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    /** Stores a new token in the caller's transaction (if any). */
    IssuedToken issue(User owner, String name, Set<TokenScope> scopes, LocalDate expiresAt, Instant now,
                      Long rotatedFrom) {
        String secret = SecretTokens.generate(PREFIX);
        AccessToken token = users.insertToken(new AccessToken(users.nextTokenId(), owner.id(), name,
                SecretTokens.digest(secret), scopes, expiresAt, false, now, null, rotatedFrom));
        return new IssuedToken(token, secret);
    }
}
