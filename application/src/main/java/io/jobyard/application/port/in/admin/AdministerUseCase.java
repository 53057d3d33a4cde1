package io.jobyard.application.port.in.admin;

import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Users, tokens, projects and members: what a standalone server needs to be usable. */
public interface AdministerUseCase {

    /** Admin only. */
    User createUser(Actor actor, NewUser user);

    /**
     * Creates a personal access token for {@code user}: administrators only. Without {@code expiresAt} it expires
     * as late as the configured lifetime allows (GitLab: 365 days).
     *
     * @return the stored token and, once only, its secret
     * @throws io.jobyard.domain.error.UnprocessableException "Expires at must be before &lt;date&gt;"
     */
    IssuedToken createToken(Actor actor, UserId user, String name, Set<TokenScope> scopes, LocalDate expiresAt);

    Project createProject(Actor actor, NewProject project);

    /**
     * {@code PUT /projects/:id}: changes the attributes given (Maintainer+ or admin, as GitLab's
     * {@code admin_project}; a new visibility takes an Owner or admin, as {@code change_visibility_level}).
     *
     * @throws io.jobyard.domain.error.BadRequestException a value the project cannot have
     */
    Project updateProject(Actor actor, ProjectRef project, ProjectChanges changes);

    /**
     * Adds or changes a member; Maintainer+ of the project (Owner to grant Owner), or admin.
     *
     * @return the member's user, which the API's member entity is made of
     */
    User putMember(Actor actor, ProjectRef project, UserId user, Role role);

    void removeMember(Actor actor, ProjectRef project, UserId user);

    /**
     * {@code GET /users}, newest first. Everyone signed in may list users (admins also find them by email); an
     * anonymous request must name one {@code username}, as GitLab keeps the list of all users from strangers.
     *
     * @throws io.jobyard.domain.error.ForbiddenException anonymous without a username
     */
    ListPage<User> listUsers(Actor actor, UserFilter filter, Pagination.Offset page);

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

    /** {@code GET /projects}, newest first: what the actor may see (public, internal when signed in, their own). */
    ListPage<ProjectView> listProjects(Actor actor, ProjectFilter filter, Pagination.Offset page);

    /**
     * {@code GET /projects/:id}.
     *
     * @throws io.jobyard.domain.error.NotFoundException "404 Project Not Found", also when the actor may not see it
     */
    ProjectView getProject(Actor actor, ProjectRef project);

    /** {@code GET /projects/:id/members}, by user id; needs a signed-in user who can see the project. */
    ListPage<Member> listMembers(Actor actor, ProjectRef project, MemberFilter filter, Pagination.Offset page);

    /**
     * {@code GET /projects/:id/members/:user_id}.
     *
     * @throws io.jobyard.domain.error.NotFoundException "404 Project Not Found", or "404 Not found" for a non-member
     */
    Member getMember(Actor actor, ProjectRef project, UserId user);

    record NewUser(String username, String name, String email, boolean admin) {
    }

    /**
     * @param namespacePath the group path; null means the creating user's namespace
     * @param description   GitLab's project description, or null
     * @param defaultBranch the default branch, or null for GitLab's default ("main")
     * @param repositoryUrl the git repository the project's jobs build, or null for none
     */
    record NewProject(String name, String path, String namespacePath, Visibility visibility, boolean publicBuilds,
                      String description, String defaultBranch, String repositoryUrl) {
        /** A project with no description, default branch or repository named. */
        public NewProject(String name, String path, String namespacePath, Visibility visibility,
                          boolean publicBuilds) {
            this(name, path, namespacePath, visibility, publicBuilds, null, null, null);
        }
    }

    /**
     * What {@code PUT /projects/:id} changes; an empty value leaves the attribute as it is.
     *
     * @param repositoryUrl a URL to name the project's repository, or empty text to name none
     */
    record ProjectChanges(Optional<String> name, Optional<String> description, Optional<String> defaultBranch,
                          Optional<Visibility> visibility, Optional<Boolean> publicBuilds,
                          Optional<String> repositoryUrl) {
        public ProjectChanges {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(defaultBranch, "defaultBranch");
            Objects.requireNonNull(visibility, "visibility");
            Objects.requireNonNull(publicBuilds, "publicBuilds");
            Objects.requireNonNull(repositoryUrl, "repositoryUrl");
        }

        public boolean isEmpty() {
            return name.isEmpty() && description.isEmpty() && defaultBranch.isEmpty() && visibility.isEmpty()
                    && publicBuilds.isEmpty() && repositoryUrl.isEmpty();
        }
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

    /**
     * Filters of {@code GET /projects}.
     *
     * @param visibility only this visibility, or null
     * @param search     part of a name or path, or null
     * @param membership only projects the actor is a member of
     * @param owned      only projects the actor owns (Jobyard has no namespaces to own: the Owner role)
     */
    record ProjectFilter(Visibility visibility, String search, boolean membership, boolean owned) {
        public static final ProjectFilter NONE = new ProjectFilter(null, null, false, false);
    }

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

    /** A project and the asking user's own role in it (null when not a member), which GitLab shows as permissions. */
    record ProjectView(Project project, Role role) {
        public ProjectView {
            Objects.requireNonNull(project, "project");
        }
    }

    /** A project member: the user and their role. */
    record Member(User user, Role role) {
        public Member {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(role, "role");
        }
    }

    /** A token as created: {@code secret} is shown this once and never stored. */
    record IssuedToken(AccessToken token, String secret) {
        @Override
        public String toString() {
            return "IssuedToken[" + token.id() + "]";
        }
    }
}
