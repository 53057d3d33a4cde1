package io.jobyard.application.port.in.trace;

import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobId;

/** {@code GET /projects/:id/jobs/:job_id/trace}: the log, live or archived, as a ranged download. */
public interface ReadTraceUseCase {
    /** The log; an empty one (size 0) when the job has none. */
    Download readTrace(Actor actor, ProjectRef project, JobId job);
}
