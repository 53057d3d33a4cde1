package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.runner.UpdateJobUseCase;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code PUT /api/v4/jobs/:id}, GitLab's {@code UpdateBuildStateService}: "running" is a heartbeat, "success" and
 * "failed" end the job (a job being canceled ends canceled either way) and move its pipeline on. The runner always
 * learns the job's status; a job canceled meanwhile answers "canceled" and the runner stops.
 */
public final class UpdateJobService implements UpdateJobUseCase {
    private final JobTokenAuthenticator authenticator;
    private final JobRepository jobs;
    private final JobFinisher finisher;
    private final OptimisticRetry retry;
    private final RunnerSettings settings;
    private final Clock clock;

    public UpdateJobService(JobTokenAuthenticator authenticator, JobRepository jobs, JobFinisher finisher,
                            OptimisticRetry retry, RunnerSettings settings, Clock clock) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.finisher = Objects.requireNonNull(finisher, "finisher");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public JobUpdated update(UpdateJobCommand command) {
        if (command.token() == null || command.token().isEmpty()) {
            // Grape validates the required param before the endpoint authenticates the job.
            throw new InvalidParameterException("token is missing");
        }
        Job job = authenticator.authenticate(command.job(), command.token(),
                JobTokenAuthenticator.OnExpiry.DROP_JOB);
        String state = command.state() == null ? "" : command.state();
        Instant now = clock.instant();
        Job result = switch (state) {
            case "running" -> heartbeat(job.id(), now);
            case "success" -> finisher.finish(job.id(), fresh -> fresh.status().isExecuting()
                    ? fresh.succeed(now)
                    : fresh);
            case "failed" -> finisher.finish(job.id(), fresh -> fresh.status().isExecuting()
                    ? fresh.drop(FailureReason.fromRunner(command.failureReason()), command.exitCode(), now)
                    : fresh);
            default -> null;
        };
        return result == null
                ? new JobUpdated(Outcome.UNKNOWN_STATE, job.status())
                : new JobUpdated(Outcome.UPDATED, result.status());
    }

    /** GitLab's {@code touch if needs_touch?}: the job is alive; the stuck-job sweeper leaves it be. */
    private Job heartbeat(JobId id, Instant now) {
        return retry.run(() -> {
            Job fresh = jobs.findById(id).orElseThrow(() -> NotFoundException.record("Job"));
            if (fresh.status().isExecuting() && JobHeartbeat.due(fresh, now, settings.timeoutOf(fresh))) {
                return jobs.update(JobHeartbeat.touched(fresh, now));
            }
            return fresh;
        });
    }
}
