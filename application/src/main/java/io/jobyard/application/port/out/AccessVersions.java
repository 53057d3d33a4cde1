package io.jobyard.application.port.out;

/**
 * The version of everything that decides who may do what: users, their personal access tokens, project memberships
 * and projects. Every write to them changes it <em>in the same transaction</em> (the one exception: a token's
 * {@code last_used_at}), and it never goes back, so whoever reads a version and then reads those rows sees rows at
 * least as new as that version. What was read under a version stays right while {@link #current()} returns it: this
 * is what lets every instance keep tokens, users and roles in memory and still refuse a revoked token, a blocked
 * user or a removed member on the very next request.
 */
public interface AccessVersions {

    /** The version now (one primary-key read for a database). */
    long current();
}
