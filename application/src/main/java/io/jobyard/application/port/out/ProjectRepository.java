package io.jobyard.application.port.out;

import io.jobyard.domain.access.Role;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.UserId;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Projects, their full paths, and who is a member with which role. */
public interface ProjectRepository {

    ProjectId nextId();

    /** @throws io.jobyard.domain.error.ConflictException when the full path is taken (case-insensitively) */
    Project insert(Project project);

    Project update(Project project);

    Optional<Project> findById(ProjectId id);

    /** Case-insensitive, as GitLab resolves {@code group/project}. */
    Optional<Project> findByFullPath(String fullPath);

    /** Projects ordered by id ascending. */
    List<Project> list(long offset, int limit);

    /** The projects {@code search} lets through, newest (highest id) first, skipping {@code offset}. */
    List<Project> search(ProjectSearch search, long offset, int limit);

    /** How many projects {@code search} lets through. */
    long count(ProjectSearch search);

    /** {@link #search} by keyset: the projects it lets through with id below {@code beforeId} (null: the newest). */
    List<Project> searchBefore(ProjectSearch search, ProjectId beforeId, int limit);

    Optional<Role> roleOf(ProjectId project, UserId user);

    /**
     * The project with {@code user}'s role in it (null when not a member, or when {@code user} is null): what opening
     * a project for a request needs, which nearly every API request does, so stores answer it with one read.
     */
    default Optional<ProjectWithRole> findWithRole(ProjectId id, UserId user) {
        return findById(id).map(project -> new ProjectWithRole(project,
                user == null ? null : roleOf(id, user).orElse(null)));
    }

    /** @param role null when the user is not a member */
    record ProjectWithRole(Project project, Role role) {
        public ProjectWithRole {
            java.util.Objects.requireNonNull(project, "project");
        }
    }

    /** {@code user}'s roles in those of {@code projects} they are a member of: one query for a listing page. */
    Map<ProjectId, Role> rolesOf(UserId user, Collection<ProjectId> projects);

    /** Adds the member or changes their role. */
    void putMember(ProjectId project, UserId user, Role role);

    /** @return whether there was such a member */
    boolean removeMember(ProjectId project, UserId user);

    /**
     * Removes {@code user} from every project (before the user is deleted).
     *
     * @return how many memberships there were
     */
    int removeMemberships(UserId user);

    /** Members ordered by user id. */
    List<Membership> members(ProjectId project);

    /**
     * Which projects a listing shows.
     *
     * @param viewer        who is looking; null for an anonymous request
     * @param everything    the viewer sees every project (administrators); otherwise public projects, internal ones
     *                      when there is a viewer, and those the viewer is a member of
     * @param visibility    only projects of this visibility, or null for any
     * @param text          a case-insensitive part of the name or the path, or null
     * @param memberAtLeast only projects the viewer is a member of with at least this role, or null
     */
    record ProjectSearch(UserId viewer, boolean everything, Visibility visibility, String text, Role memberAtLeast) {
        public ProjectSearch {
            text = text == null || text.isBlank() ? null : text;
            if (memberAtLeast != null && viewer == null) {
                throw new IllegalArgumentException("a membership filter needs a viewer");
            }
        }
    }

    /** One member's role in a project. */
    record Membership(ProjectId projectId, UserId userId, Role role) {
    }
}
