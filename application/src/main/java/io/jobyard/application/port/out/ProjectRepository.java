package io.jobyard.application.port.out;

import io.jobyard.domain.access.Role;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.user.UserId;

import java.util.List;
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

    Optional<Role> roleOf(ProjectId project, UserId user);

    /** Adds the member or changes their role. */
    void putMember(ProjectId project, UserId user, Role role);

    /** @return whether there was such a member */
    boolean removeMember(ProjectId project, UserId user);

    /** Members ordered by user id. */
    List<Membership> members(ProjectId project);

    /** One member's role in a project. */
    record Membership(ProjectId projectId, UserId userId, Role role) {
    }
}
