package io.jobyard.application.service.artifact;

import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

/**
 * How the runner-facing artifact and log services authenticate a job by its id and raw CI token. The rules (403s
 * with GitLab's reasons and {@code Job-Status}, token expiry) live in one place, the runner module's
 * {@code JobTokenAuthenticator}; the wiring passes e.g.
 * {@code (job, token) -> authenticator.authenticate(job, token, OnExpiry.DROP_JOB)}.
 */
@FunctionalInterface
public interface JobTokenCheck {

    /**
     * @return the job, running or canceling
     * @throws io.jobyard.domain.error.RunnerForbiddenException when the request may not act for the job
     */
    Job authenticate(JobId job, String token);
}
