package io.jobyard.application.port.in.admin;

import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;

import java.util.Objects;
import java.util.Optional;

/**
 * Projects, as GitLab's projects API has them ({@code lib/api/projects.rb}): a user creates projects in their own
 * namespace (Jobyard has no groups to grant more), Maintainers change them, and a new visibility takes an Owner.
 */
public interface ProjectsUseCase {

    /** In the creator's own namespace (admins: any), the creator becoming its Owner. */
    Project createProject(Actor actor, NewProject project);

    /**
     * {@code PUT /projects/:id}: changes the attributes given (Maintainer+ or admin, as GitLab's
     * {@code admin_project}; a new visibility takes an Owner or admin, as {@code change_visibility_level}).
     *
     * @throws io.jobyard.domain.error.BadRequestException a value the project cannot have
     */
    Project updateProject(Actor actor, ProjectRef project, ProjectChanges changes);

    /** {@code GET /projects}, newest first: what the actor may see (public, internal when signed in, their own). */
    ListPage<ProjectView> listProjects(Actor actor, ProjectFilter filter, Pagination.Offset page);

    /** {@link #listProjects(Actor, ProjectFilter, Pagination.Offset)} by keyset (newest first, after the cursor's id). */
    KeysetPage<ProjectView> listProjects(Actor actor, ProjectFilter filter, Pagination.Keyset page);

    /**
     * {@code GET /projects/:id}.
     *
     * @throws io.jobyard.domain.error.NotFoundException "404 Project Not Found", also when the actor may not see it
     */
    ProjectView getProject(Actor actor, ProjectRef project);

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

    /** A project and the asking user's own role in it (null when not a member), which GitLab shows as permissions. */
    record ProjectView(Project project, Role role) {
        public ProjectView {
            Objects.requireNonNull(project, "project");
        }
    }
}
