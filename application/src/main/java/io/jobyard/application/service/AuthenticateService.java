package io.jobyard.application.service;

import io.jobyard.application.port.in.AuthenticateUseCase;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.User;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Personal access tokens and CI job tokens, looked up by their SHA-256 digest (the only form stored) and then compared
 * in constant time. The messages of expired and revoked tokens are GitLab's {@code error_description}s, which the HTTP
 * layer puts into its OAuth-style 401 body.
 */
public final class AuthenticateService implements AuthenticateUseCase {
    public static final String UNAUTHORIZED = "401 Unauthorized";
    public static final String TOKEN_EXPIRED = "Token is expired. You can either do re-authorization or token refresh.";
    public static final String TOKEN_REVOKED = "Token was revoked. You have to re-authorize from the user.";

    private final UserRepository users;
    private final JobRepository jobs;
    private final ProjectRepository projects;
    private final Clock clock;

    public AuthenticateService(UserRepository users, JobRepository jobs, ProjectRepository projects, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Actor byAccessToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new UnauthorizedException(UNAUTHORIZED);
        }
        UserRepository.TokenWithOwner found = users.findTokenWithOwner(SecretTokens.digest(token))
                .filter(t -> SecretTokens.matches(token, t.token().digest()))
                .orElseThrow(() -> new UnauthorizedException(UNAUTHORIZED));
        AccessToken stored = found.token();
        Instant now = clock.instant();
        // GitLab's AccessTokenValidationService checks expiry before revocation.
        if (stored.expired(now)) {
            throw new UnauthorizedException(TOKEN_EXPIRED);
        }
        if (stored.revoked()) {
            throw new UnauthorizedException(TOKEN_REVOKED);
        }
        User user = found.owner();
        if (user == null || !user.active()) {
            throw new UnauthorizedException(UNAUTHORIZED);
        }
        return new Actor.UserActor(user, stored.scopes());
    }

    @Override
    public Actor byJobToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new UnauthorizedException(UNAUTHORIZED);
        }
        Job job = jobs.findByTokenDigest(SecretTokens.digest(token))
                .filter(j -> SecretTokens.matches(token, j.tokenDigest()))
                .orElseThrow(() -> new UnauthorizedException(UNAUTHORIZED));
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
