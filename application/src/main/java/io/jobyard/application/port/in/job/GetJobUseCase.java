package io.jobyard.application.port.in.job;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobId;

/** {@code GET /projects/:id/jobs/:job_id} and {@code GET /job}. */
public interface GetJobUseCase {

    JobView get(Actor actor, ProjectRef project, JobId job);

    /**
     * The job whose CI token authenticated the caller. Callers authenticated otherwise get "404 Job Not Found".
     */
    JobView currentJob(Actor actor);
}
