package io.jobyard.application.port.in;

import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.time.LocalDate;
import java.util.Set;

/** Users, tokens, projects and members: what a standalone server needs to be usable. */
public interface AdministerUseCase {

    /** Admin only. */
    User createUser(Actor actor, NewUser user);

    /**
     * Creates a personal access token for {@code user} (admin, or the user themself).
     *
     * @return the stored token and, once only, its secret
     */
    IssuedToken createToken(Actor actor, UserId user, String name, Set<TokenScope> scopes, LocalDate expiresAt);

    Project createProject(Actor actor, NewProject project);

    /**
     * Adds or changes a member; Maintainer+ of the project (Owner to grant Owner), or admin.
     *
     * @return the member's user, which the API's member entity is made of
     */
    User putMember(Actor actor, ProjectRef project, UserId user, Role role);

    void removeMember(Actor actor, ProjectRef project, UserId user);

    record NewUser(String username, String name, String email, boolean admin) {
    }

    /** @param namespacePath the group path; null means the creating user's namespace */
    record NewProject(String name, String path, String namespacePath, Visibility visibility, boolean publicBuilds) {
    }

    /** A token as created: {@code secret} is shown this once and never stored. */
    record IssuedToken(AccessToken token, String secret) {
        @Override
        public String toString() {
            return "IssuedToken[" + token.id() + "]";
        }
    }
}
