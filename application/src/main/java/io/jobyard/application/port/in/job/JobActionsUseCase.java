package io.jobyard.application.port.in.job;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobVariable;

import java.util.List;

/** The job actions of the Jobs API: cancel, retry, erase, play, keep. */
public interface JobActionsUseCase {

    /** Never refuses on state: a job that cannot be canceled comes back unchanged. */
    JobView cancel(Actor actor, ProjectRef project, JobId job, boolean force);

    /** @return the new job that replaces the retried one */
    JobView retry(Actor actor, ProjectRef project, JobId job);

    JobView erase(Actor actor, ProjectRef project, JobId job);

    /**
     * Plays a manual or delayed job; a finished manual job is retried instead, and the original job is returned.
     *
     * @param variables replaces the job's variables when not null
     */
    JobView play(Actor actor, ProjectRef project, JobId job, List<JobVariable> variables);

    /** Artifacts of the job no longer expire. */
    JobView keepArtifacts(Actor actor, ProjectRef project, JobId job);
}
