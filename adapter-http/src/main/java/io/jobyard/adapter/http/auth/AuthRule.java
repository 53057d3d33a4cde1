package io.jobyard.adapter.http.auth;

import io.jobyard.domain.user.TokenScope;

import java.util.Objects;
import java.util.Set;

/**
 * Which credentials a route takes, as GitLab's API classes declare them (contract §0.4, §0.5).
 *
 * @param anonymousReads   {@code authenticate_non_get!} (job_artifacts.rb, pipelines.rb): anonymous GET/HEAD pass and
 *                         the use case decides (public projects); false means {@code authenticate!} (jobs.rb): no
 *                         identity, 401, even on public projects
 * @param jobTokensAllowed the route is declared {@code job_token_allowed}; elsewhere a CI job token is not looked at,
 *                         so the request counts as anonymous
 * @param alsoScopes       token scopes the route takes besides GitLab's default ({@code api}, and {@code read_api} on
 *                         reads): {@code allow_access_with_scope} of the token API's "self" classes
 * @param rotation         the route rotates a token, where presenting a rotated-away token revokes its successors
 * @param guarded          the API guard identifies the caller; false for the runner protocol's routes, whose use cases
 *                         check the runner or job token they are sent ({@code authenticate_runner!},
 *                         {@code authenticate_job!}), whatever else the request carries
 * @param web              a web page: the caller is identified by the session cookie alone (no tokens), anonymous
 *                         callers reach every method (the page decides), a request that changes something must carry
 *                         the session's CSRF token (403 otherwise), and refusals are answered as pages
 */
public record AuthRule(boolean anonymousReads, boolean jobTokensAllowed, Set<TokenScope> alsoScopes,
                       boolean rotation, boolean guarded, boolean web) {
    /** jobs.rb routes that take only user credentials (single job, trace, actions). */
    public static final AuthRule USER = new AuthRule(false, false);
    /** jobs.rb routes that also take a job token (project job list, {@code GET /job}). */
    public static final AuthRule USER_OR_JOB_TOKEN = new AuthRule(false, true);
    /** job_artifacts.rb / pipelines.rb reads: anonymous allowed, job tokens allowed. */
    public static final AuthRule PUBLIC_READ_OR_JOB_TOKEN = new AuthRule(true, true);
    /** job_artifacts.rb writes (keep, deletes): non-GET, so a user is required; no job tokens. */
    public static final AuthRule PUBLIC_READ = new AuthRule(true, false);
    /** personal_access_tokens/self_information.rb: a token of any scope may read and revoke itself. */
    public static final AuthRule SELF_TOKEN = new AuthRule(false, false, Set.of(TokenScope.values()), false);
    /** personal_access_tokens/self_rotation.rb: {@code api} or {@code self_rotate}. */
    public static final AuthRule SELF_ROTATION = new AuthRule(false, false, Set.of(TokenScope.SELF_ROTATE), true);
    /** {@code POST /personal_access_tokens/:id/rotate}. */
    public static final AuthRule ROTATION = new AuthRule(false, false, Set.of(), true);
    /** runner.rb's job protocol and runner self-service: the token in the request is the use case's to check. */
    public static final AuthRule RUNNER_TOKEN = new AuthRule(true, false, Set.of(), false, false);
    /** The web pages (GitLab's Rails controllers): session cookie, CSRF token on every state-changing form. */
    public static final AuthRule WEB = new AuthRule(true, false, Set.of(), false, true, true);

    public AuthRule {
        alsoScopes = Set.copyOf(Objects.requireNonNull(alsoScopes, "alsoScopes"));
    }

    public AuthRule(boolean anonymousReads, boolean jobTokensAllowed, Set<TokenScope> alsoScopes, boolean rotation,
                    boolean guarded) {
        this(anonymousReads, jobTokensAllowed, alsoScopes, rotation, guarded, false);
    }

    public AuthRule(boolean anonymousReads, boolean jobTokensAllowed, Set<TokenScope> alsoScopes, boolean rotation) {
        this(anonymousReads, jobTokensAllowed, alsoScopes, rotation, true);
    }

    public AuthRule(boolean anonymousReads, boolean jobTokensAllowed) {
        this(anonymousReads, jobTokensAllowed, Set.of(), false);
    }

    /** Whether a request with {@code method} and no identity is refused before anything else. */
    public boolean refusesAnonymous(String method) {
        return !web && (!anonymousReads || !isRead(method));
    }

    /** Whether a token with {@code scopes} may make a {@code method} request on this route. */
    public boolean admits(Set<TokenScope> scopes, String method) {
        return scopes.contains(TokenScope.API) || isRead(method) && scopes.contains(TokenScope.READ_API)
                || scopes.stream().anyMatch(alsoScopes::contains);
    }

    /** The scopes this route takes for {@code method}, as GitLab names them in its insufficient-scope answer. */
    public String scopeNames(String method) {
        StringBuilder names = new StringBuilder("api");
        if (isRead(method)) {
            names.append(" read_api");
        }
        for (TokenScope scope : TokenScope.values()) {
            if (scope != TokenScope.API && scope != TokenScope.READ_API && alsoScopes.contains(scope)) {
                names.append(' ').append(scope.wireName());
            }
        }
        return names.toString();
    }

    public static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }
}
