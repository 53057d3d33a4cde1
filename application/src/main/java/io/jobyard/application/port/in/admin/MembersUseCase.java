package io.jobyard.application.port.in.admin;

import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.util.Objects;
import java.util.Set;

/**
 * A project's members, as GitLab's members API has them ({@code lib/api/members.rb}): Maintainers manage them, and
 * only Owners (or admins) grant or take away the Owner role.
 */
public interface MembersUseCase {

    /**
     * Adds or changes a member; Maintainer+ of the project (Owner to grant Owner), or admin.
     *
     * @return the member's user, which the API's member entity is made of
     */
    User putMember(Actor actor, ProjectRef project, UserId user, Role role);

    void removeMember(Actor actor, ProjectRef project, UserId user);

    /** {@code GET /projects/:id/members}, by user id; needs a signed-in user who can see the project. */
    ListPage<Member> listMembers(Actor actor, ProjectRef project, MemberFilter filter, Pagination.Offset page);

    /** {@link #listMembers(Actor, ProjectRef, MemberFilter, Pagination.Offset)} by keyset: user ids above the cursor's. */
    KeysetPage<Member> listMembers(Actor actor, ProjectRef project, MemberFilter filter, Pagination.Keyset page);

    /**
     * {@code GET /projects/:id/members/:user_id}.
     *
     * @throws io.jobyard.domain.error.NotFoundException "404 Project Not Found", or "404 Not found" for a non-member
     */
    Member getMember(Actor actor, ProjectRef project, UserId user);

    /**
     * Filters of {@code GET /projects/:id/members}.
     *
     * @param query   part of a member's username or name, or null
     * @param userIds only these users; empty for everyone
     */
    record MemberFilter(String query, Set<UserId> userIds) {
        public static final MemberFilter NONE = new MemberFilter(null, Set.of());

        public MemberFilter {
            userIds = Set.copyOf(userIds);
        }
    }

    /** A project member: the user and their role. */
    record Member(User user, Role role) {
        public Member {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(role, "role");
        }
    }
}
