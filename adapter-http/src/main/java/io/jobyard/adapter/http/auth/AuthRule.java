package io.jobyard.adapter.http.auth;

/**
 * Which credentials a route takes, as GitLab's API classes declare them (contract §0.4, §0.5).
 *
 * @param anonymousReads   {@code authenticate_non_get!} (job_artifacts.rb, pipelines.rb): anonymous GET/HEAD pass and
 *                         the use case decides (public projects); false means {@code authenticate!} (jobs.rb): no
 *                         identity, 401, even on public projects
 * @param jobTokensAllowed the route is declared {@code job_token_allowed}; elsewhere a CI job token is not looked at,
 *                         so the request counts as anonymous
 */
public record AuthRule(boolean anonymousReads, boolean jobTokensAllowed) {
    /** jobs.rb routes that take only user credentials (single job, trace, actions). */
    public static final AuthRule USER = new AuthRule(false, false);
    /** jobs.rb routes that also take a job token (project job list, {@code GET /job}). */
    public static final AuthRule USER_OR_JOB_TOKEN = new AuthRule(false, true);
    /** job_artifacts.rb / pipelines.rb reads: anonymous allowed, job tokens allowed. */
    public static final AuthRule PUBLIC_READ_OR_JOB_TOKEN = new AuthRule(true, true);
    /** job_artifacts.rb writes (keep, deletes): non-GET, so a user is required; no job tokens. */
    public static final AuthRule PUBLIC_READ = new AuthRule(true, false);

    /** Whether a request with {@code method} and no identity is refused before anything else. */
    public boolean refusesAnonymous(String method) {
        return !anonymousReads || !isRead(method);
    }

    public static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }
}
