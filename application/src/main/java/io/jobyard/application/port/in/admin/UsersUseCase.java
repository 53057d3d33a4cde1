package io.jobyard.application.port.in.admin;

import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.domain.user.User;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.user.UserId;

/**
 * Users, as GitLab's users API has them ({@code lib/api/users.rb}): creating and reading them, and what an
 * administrator does to an account ({@code POST /users/:id/block}, {@code /unblock}, {@code /deactivate},
 * {@code /activate}, {@code DELETE /users/:id}). Only an active user authenticates, and nothing about a user is
 * remembered between requests, so a block, deactivation or deletion cuts off every token of the user with the next
 * request on every instance.
 *
 * <p>Every change of an account's state needs an administrator ("403 Forbidden") and an existing user ("404 User Not
 * Found").
 */
public interface UsersUseCase {

    /** Admin only. */
    User createUser(Actor actor, NewUser user);

    /**
     * {@code GET /users}, newest first. Everyone signed in may list users (admins also find them by email); an
     * anonymous request must name one {@code username}, as GitLab keeps the list of all users from strangers.
     *
     * @throws io.jobyard.domain.error.ForbiddenException anonymous without a username
     */
    ListPage<User> listUsers(Actor actor, UserFilter filter, Pagination.Offset page);

    /** {@link #listUsers(Actor, UserFilter, Pagination.Offset)} by keyset (newest first, after the cursor's id). */
    KeysetPage<User> listUsers(Actor actor, UserFilter filter, Pagination.Keyset page);

    /**
     * {@code GET /users/:id}.
     *
     * @throws io.jobyard.domain.error.ForbiddenException anonymous ("Not authorized!")
     * @throws io.jobyard.domain.error.NotFoundException  "404 User Not Found"
     */
    User getUser(Actor actor, UserId id);

    /**
     * {@code GET /user}: the user the credentials belong to.
     *
     * @throws io.jobyard.domain.error.UnauthorizedException anonymous
     */
    User currentUser(Actor actor);

    /**
     * What an operation did, which GitLab answers with the endpoint's return value: {@code true}, {@code false}, or
     * {@code null} where the endpoint stops early ({@code break}).
     */
    enum Outcome {
        /** The user is now in the asked state: {@code true}. */
        CHANGED,
        /** The user was in it already and the endpoint stopped early: {@code null}. */
        ALREADY,
        /** The state machine had no such transition from the user's state: {@code false}. */
        NO_TRANSITION
    }

    /**
     * Blocks an active or deactivated user.
     *
     * @throws io.jobyard.domain.error.ForbiddenException "The API initiating user cannot be blocked by the API"
     */
    Outcome block(Actor actor, UserId user);

    /**
     * Unblocks a blocked user (an active one: {@link Outcome#NO_TRANSITION}).
     *
     * @throws io.jobyard.domain.error.ForbiddenException "Deactivated users cannot be unblocked by the API"
     */
    Outcome unblock(Actor actor, UserId user);

    /**
     * Deactivates an active user who has been dormant: no use of any of their tokens in the last 90 days.
     *
     * @throws io.jobyard.domain.error.ForbiddenException a blocked user, or one active in the last 90 days (GitLab's
     *                                                    messages, without the "403 Forbidden - " prefix)
     */
    Outcome deactivate(Actor actor, UserId user);

    /**
     * Activates a deactivated user (an active one: {@link Outcome#NO_TRANSITION}).
     *
     * @throws io.jobyard.domain.error.ForbiddenException "A blocked user must be unblocked to be activated"
     */
    Outcome activate(Actor actor, UserId user);

    /**
     * Deletes the user with their tokens and memberships at once (GitLab blocks the user and deletes in the
     * background; Jobyard has nothing slow to delete). Jobs and pipelines they started stay, without a user.
     *
     * @throws io.jobyard.domain.error.ConflictException the last active administrator, whose deletion would leave
     *                                                   nobody able to administer the installation
     */
    void delete(Actor actor, UserId user);

    record NewUser(String username, String name, String email, boolean admin) {
    }

    /**
     * Filters of {@code GET /users}; null or blank means no filter.
     *
     * @param username   exactly this username, regardless of case
     * @param search     part of a username or name (or, for admins, a whole email address)
     * @param activeOnly only active users
     */
    record UserFilter(String username, String search, boolean activeOnly) {
        public static final UserFilter NONE = new UserFilter(null, null, false);
    }
}
