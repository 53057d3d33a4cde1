package io.jobyard.application.service.auth;

import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.AccessCache;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.User;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Personal access tokens and CI job tokens, looked up by their SHA-256 digest (the only form stored) and then compared
 * in constant time. The messages of expired and revoked tokens are GitLab's {@code error_description}s, which the HTTP
 * layer puts into its OAuth-style 401 body.
 *
 * <p>Every request reads the {@linkplain AccessCache access version} (one statement) and takes a personal access token
 * with its owner from the cache while that version stands, else from the database; a revocation, a rotation or a
 * block made through any instance sharing the database changes the version in its transaction, so it takes effect
 * on every instance with the next request. Job tokens (and their jobs) are read for every request. A token that
 * matches nothing is refused as a guess (its digest travels with the refusal, for the per-address throttle); a real
 * token refused for its state is not.
 */
public final class AuthenticateService implements AuthenticateUseCase {
    public static final String UNAUTHORIZED = "401 Unauthorized";
    public static final String TOKEN_EXPIRED = "Token is expired. You can either do re-authorization or token refresh.";
    public static final String TOKEN_REVOKED = "Token was revoked. You have to re-authorize from the user.";
    /** GitLab's {@code PersonalAccessTokens::LastUsedService} precision: a use is recorded at most this often. */
    static final Duration LAST_USED_PRECISION = Duration.ofMinutes(10);
    private static final System.Logger LOG = System.getLogger(AuthenticateService.class.getName());

    private final UserRepository users;
    private final JobRepository jobs;
    private final ProjectRepository projects;
    private final Clock clock;
    private final AccessCache cache;

    public AuthenticateService(UserRepository users, JobRepository jobs, ProjectRepository projects, Clock clock,
                               AccessCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.users = Objects.requireNonNull(users, "users");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Actor byAccessToken(String token) {
        return authenticate(token, false);
    }

    @Override
    public Actor byAccessTokenForRotation(String token) {
        return authenticate(token, true);
    }

    private Actor authenticate(String token, boolean rotating) {
        if (token == null || token.isEmpty()) {
            throw new UnauthorizedException(UNAUTHORIZED);
        }
        String digest = SecretTokens.digest(token);
        cache.check();
        UserRepository.TokenWithOwner found = cache.token(digest, users::findTokenWithOwner)
                .filter(t -> SecretTokens.matches(token, t.token().digest()))
                .orElseThrow(() -> UnauthorizedException.unknownCredential(UNAUTHORIZED, digest));
        AccessToken stored = found.token();
        Instant now = clock.instant();
        // GitLab's AccessTokenValidationService checks expiry before revocation.
        if (stored.expired(now)) {
            throw new UnauthorizedException(TOKEN_EXPIRED);
        }
        if (stored.revoked()) {
            if (rotating) {
                revokeRotatedFrom(stored);
            }
            throw new UnauthorizedException(TOKEN_REVOKED);
        }
        User user = found.owner();
        if (user == null || !user.active()) {
            throw new UnauthorizedException(UNAUTHORIZED);
        }
        if (recordUse(stored, now)) {
            // Kept with its new last use, so that the next requests do not record it again.
            cache.replaceToken(digest, new UserRepository.TokenWithOwner(stored.usedAt(now), user));
        }
        return new Actor.UserActor(user, stored.scopes(), stored.id());
    }

    /** GitLab's {@code RevokeTokenFamilyService}: every token rotation made, directly or not, from {@code token}. */
    private void revokeRotatedFrom(AccessToken token) {
        Deque<Long> next = new ArrayDeque<>();
        next.add(token.id());
        int revoked = 0;
        while (!next.isEmpty()) {
            for (AccessToken successor : users.tokensRotatedFrom(next.poll())) {
                if (users.revokeToken(successor.id())) {
                    revoked++;
                }
                next.add(successor.id());
            }
        }
        if (revoked > 0) {
            LOG.log(System.Logger.Level.WARNING, "Token " + token.id() + " of user " + token.userId() + " was "
                    + "presented for rotation after rotation had replaced it; revoked the " + revoked
                    + " token(s) rotated from it");
        }
    }

    /**
     * GitLab's {@code last_used_at}, written at most once per {@link #LAST_USED_PRECISION} per token. A failed write
     * does not fail the request it would have recorded.
     *
     * @return whether a use was written (or found written by another instance)
     */
    private boolean recordUse(AccessToken token, Instant now) {
        Instant notBefore = now.minus(LAST_USED_PRECISION);
        if (token.lastUsedAt() != null && !token.lastUsedAt().isBefore(notBefore)) {
            return false;
        }
        try {
            users.recordTokenUse(token.id(), now, notBefore);
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not record the use of token " + token.id() + ": "
                    + e.getMessage());
            return false;
        }
    }

    @Override
    public Actor byJobToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new UnauthorizedException(UNAUTHORIZED);
        }
        String digest = SecretTokens.digest(token);
        Job job = jobs.findByTokenDigest(digest)
                .filter(j -> SecretTokens.matches(token, j.tokenDigest()))
                .orElseThrow(() -> UnauthorizedException.unknownCredential(UNAUTHORIZED, digest));
        // A job token lives only while its job executes; an erased job or a deleted project ends it too.
        if (!job.status().isExecuting() || job.erased() || projects.findById(job.projectId()).isEmpty()) {
            throw new UnauthorizedException(UNAUTHORIZED);
        }
        User user = job.userId() == null ? null : users.findById(job.userId()).filter(User::active).orElse(null);
        if (user == null) {
            throw new UnauthorizedException(UNAUTHORIZED);
        }
        return new Actor.JobTokenActor(user, job);
    }
}
