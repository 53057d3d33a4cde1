package io.jobyard.application.service;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.project.Project;

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
        Project project = find(ref).orElseThrow(() -> NotFoundException.resource("Project"));
        if (actor instanceof Actor.JobTokenActor jobToken && !jobToken.job().projectId().equals(project.id())) {
            // Job-token scope: Jobyard keeps no allowlists, so a token reaches its own project only.
            String source = projects.findById(jobToken.job().projectId()).map(Project::fullPath).orElse("?");
            throw new ForbiddenException("Authentication by CI/CD job token not allowed from " + source + " to "
                    + project.fullPath() + ".");
        }
        Role role = actor.user().flatMap(user -> projects.roleOf(project.id(), user.id())).orElse(null);
        ProjectAccess access = new ProjectAccess(project, actor, role);
        if (!access.canReadProject()) {
            throw NotFoundException.resource("Project");
        }
        return access;
    }

    private Optional<Project> find(ProjectRef ref) {
        if (ref instanceof ProjectRef.ById byId) {
            return projects.findById(byId.id());
        }
        String path = ((ProjectRef.ByPath) ref).fullPath();
        return path.isEmpty() ? Optional.empty() : projects.findByFullPath(path);
    }
}
