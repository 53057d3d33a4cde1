package io.jobyard.application.service;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.util.Objects;
import java.util.Optional;

/**
 * Resolves the project a request names and what the actor may do in it. A project the actor cannot read is answered
 * exactly like a missing one ("404 Project Not Found"), so private projects cannot be discovered.
 */
public final class ProjectGate {
    private final ProjectRepository projects;

    public ProjectGate(ProjectRepository projects) {
        this.projects = Objects.requireNonNull(projects, "projects");
    }

    /**
     * @throws NotFoundException  "404 Project Not Found" when missing or not readable by the actor
     * @throws ForbiddenException when a CI job token is used on a project its scope does not reach
     */
    public ProjectAccess open(Actor actor, ProjectRef ref) {
        UserId user = actor.user().map(User::id).orElse(null);
        ProjectRepository.ProjectWithRole found = find(ref, user)
                .orElseThrow(() -> NotFoundException.resource("Project"));
        Project project = found.project();
        if (actor instanceof Actor.JobTokenActor jobToken && !jobToken.job().projectId().equals(project.id())) {
            // Job-token scope: Jobyard keeps no allowlists, so a token reaches its own project only.
            String source = projects.findById(jobToken.job().projectId()).map(Project::fullPath).orElse("?");
            throw new ForbiddenException("Authentication by CI/CD job token not allowed from " + source + " to "
                    + project.fullPath() + ".");
        }
        ProjectAccess access = new ProjectAccess(project, actor, found.role());
        if (!access.canReadProject()) {
            throw NotFoundException.resource("Project");
        }
        return access;
    }

    private Optional<ProjectRepository.ProjectWithRole> find(ProjectRef ref, UserId user) {
        if (ref instanceof ProjectRef.ById byId) {
            return projects.findWithRole(byId.id(), user);
        }
        return find(ref).map(project -> new ProjectRepository.ProjectWithRole(project,
                user == null ? null : projects.roleOf(project.id(), user).orElse(null)));
    }

    private Optional<Project> find(ProjectRef ref) {
        if (ref instanceof ProjectRef.ById byId) {
            return projects.findById(byId.id());
        }
        String path = ((ProjectRef.ByPath) ref).fullPath();
        return path.isEmpty() ? Optional.empty() : projects.findByFullPath(path);
    }
}
