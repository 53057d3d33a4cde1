package io.jobyard.application.service;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.util.Objects;
import java.util.Optional;

/**
 * Resolves the project a request names and what the actor may do in it. A project the actor cannot read is answered
 * exactly like a missing one ("404 Project Not Found"), so private projects cannot be discovered. The project and the
 * caller's role come from the {@link AccessCache} while the access version stands.
 */
public final class ProjectGate {
    private final ProjectRepository projects;
    private final JobRepository jobs;
    private final AccessCache cache;

    /** A gate that reads the project and the role for every request. */
    public ProjectGate(ProjectRepository projects, JobRepository jobs) {
        this(projects, jobs, AccessCache.off());
    }

    /** A gate that keeps projects with roles in {@code cache}, checking its version on every {@link #open}. */
    public ProjectGate(ProjectRepository projects, JobRepository jobs, AccessCache cache) {
        this.projects = Objects.requireNonNull(projects, "projects");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    /** A job and the access to its project that was checked to reach it. */
    public record ProjectJob(ProjectAccess access, Job job) {
    }

    /**
     * @throws NotFoundException  "404 Project Not Found" when missing or not readable by the actor
     * @throws ForbiddenException when a CI job token is used on a project its scope does not reach
     */
    public ProjectAccess open(Actor actor, ProjectRef ref) {
        UserId user = actor.user().map(User::id).orElse(null);
        // Every request that opens a project reads the access version first (whoever it comes from: a token, a job
        // token, a web session, nobody), so a project made private or a member removed or demoted a moment ago
        // through any instance is refused here.
        cache.check();
        ProjectRepository.ProjectWithRole found = cache.project(ref, user, () -> find(ref, user))
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

    /**
     * {@link #open}, then GitLab's {@code read_build} on the project (Reporter+, or anyone when its jobs are public).
     *
     * @throws ForbiddenException when the actor may see the project but not its jobs
     */
    public ProjectAccess openBuilds(Actor actor, ProjectRef ref) {
        ProjectAccess access = open(actor, ref);
        if (!access.canReadBuilds()) {
            throw new ForbiddenException();
        }
        return access;
    }

    /**
     * What the job routes of a project begin with: {@link #openBuilds}, then the job, which must be this project's.
     *
     * @throws NotFoundException "404 Job Not Found" for a missing job or another project's
     */
    public ProjectJob openJob(Actor actor, ProjectRef ref, JobId id) {
        ProjectAccess access = openBuilds(actor, ref);
        return new ProjectJob(access, jobOf(access, id));
    }

    /**
     * The job {@code id} of the project {@code access} opened.
     *
     * @throws NotFoundException "404 Job Not Found" for a missing job or another project's
     */
    public Job jobOf(ProjectAccess access, JobId id) {
        return jobs.findById(id)
                .filter(job -> job.projectId().equals(access.project().id()))
                .orElseThrow(() -> NotFoundException.record("Job"));
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
