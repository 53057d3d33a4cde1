package io.jobyard.application.port.in.runner;

import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;

import java.util.Objects;

/**
 * {@code PUT /api/v4/jobs/:id} (contract §5.2): the runner reports its job as still running (a heartbeat), succeeded or
 * failed. The answer always carries the job's status, which tells a runner whose job was canceled to stop.
 */
public interface UpdateJobUseCase {

    /**
     * @throws io.jobyard.domain.error.InvalidParameterException "token is missing"
     * @throws io.jobyard.domain.error.RunnerForbiddenException  unknown job or token ("403 Forbidden"), "Project has
     *         been deleted!", "Job has been erased!", "Job is not processing on runner" (with Job-Status), "Job token
     *         has expired" (with Job-Status; the job is dropped with job_token_expired)
     */
    JobUpdated update(UpdateJobCommand command);

    /**
     * @param state         "running", "success" or "failed"; anything else (or null) is answered with 400
     * @param failureReason the runner's {@code failure_reason} for "failed"; unknown or missing → unknown_failure
     * @param exitCode      the runner's {@code exit_code}, or null
     */
    record UpdateJobCommand(JobId job, String token, String state, String failureReason, Integer exitCode) {
        public UpdateJobCommand {
            Objects.requireNonNull(job, "job");
        }

        @Override
        public String toString() {
            return "UpdateJobCommand[job=" + job + ", state=" + state + "]";
        }
    }

    /**
     * What happened. GitLab answers with the HTTP status as the body text ({@code 200}, {@code 400}) and the job's
     * status in {@code Job-Status}.
     */
    record JobUpdated(Outcome outcome, JobStatus jobStatus) {
        public JobUpdated {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(jobStatus, "jobStatus");
        }
    }

    enum Outcome {
        /** 200: the state was applied (or was a heartbeat). */
        UPDATED,
        /** 400: the state was missing or not one of running, success, failed; nothing changed. */
        UNKNOWN_STATE
    }
}
