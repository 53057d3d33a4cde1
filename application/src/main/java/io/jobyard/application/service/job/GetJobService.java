package io.jobyard.application.service.job;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.job.GetJobUseCase;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.project.Project;

import java.util.Objects;

/** {@code GET /projects/:id/jobs/:job_id} and {@code GET /job}. */
public final class GetJobService implements GetJobUseCase {
    private final ProjectRepository projects;
    private final ProjectGate gate;
    private final JobRepository jobs;
    private final JobViewAssembler views;
    private final Transactor transactor;

    public GetJobService(ProjectRepository projects, ProjectGate gate, JobRepository jobs, JobViewAssembler views,
                         Transactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.views = Objects.requireNonNull(views, "views");
    }

    @Override
    public JobView get(Actor actor, ProjectRef project, JobId job) {
        return transactor.reading(() -> read(actor, project, job));
    }

    private JobView read(Actor actor, ProjectRef project, JobId job) {
        ProjectGate.ProjectJob found = gate.openJob(actor, project, job);
        return views.view(found.access().project(), found.job());
    }

    @Override
    public JobView currentJob(Actor actor) {
        return transactor.reading(() -> readCurrent(actor));
    }

    private JobView readCurrent(Actor actor) {
        if (!(actor instanceof Actor.JobTokenActor jobToken)) {
            // GitLab: authenticated, but not by a job token → "404 Job Not Found".
            throw NotFoundException.resource("Job");
        }
        Job job = jobs.findById(jobToken.job().id()).orElseThrow(() -> NotFoundException.resource("Job"));
        Project project = projects.findById(job.projectId()).orElseThrow(() -> NotFoundException.resource("Job"));
        return views.view(project, job);
    }
}
