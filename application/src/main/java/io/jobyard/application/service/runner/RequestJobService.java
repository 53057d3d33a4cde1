package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.runner.RequestJobUseCase;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.application.service.pipeline.PipelineProgress;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.runner.Runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Hands pending jobs to runners. The claim is the repository's {@link JobRepository#claimPending}: a conditional
 * pending → running update on the job's lock version, so two runners — on one Jobyard instance or on several sharing a
 * database — never both win one job; a loser simply moves on to the next candidate.
 *
 * <p>After a claim, the job is checked as GitLab's {@code RegisterJobService#assign_runner!} checks it, in its order: a
 * job whose dependency was erased or lost its artifacts is dropped with {@code missing_dependency_failure}, and a job
 * needing a runner feature the runner did not announce in {@code info.features} ({@code Ci::Build#supported_runner?})
 * with {@code runner_unsupported}; the runner gets the next job instead.
 */
public final class RequestJobService implements RequestJobUseCase {
    /** GitLab's job token prefix ({@code glcbt-}: "GitLab CI build token"). */
    static final String JOB_TOKEN_PREFIX = SecretTokens.JOB_TOKEN_PREFIX;
    /** How many pending jobs the {@code last_update} value summarizes. */
    static final int QUEUE_WINDOW = 100;
    /** GitLab refreshes a runner's {@code contacted_at} at most this often; polling runners need no write per poll. */
    static final Duration CONTACT_WRITE_INTERVAL = Duration.ofMinutes(1);
    /** Jobs dropped (missing dependencies, unsupported runner) in one request before the runner is told to come back. */
    private static final int MAX_CLAIMS_PER_REQUEST = 25;

    private final RunnerRepository runners;
    private final JobRepository jobs;
    private final PipelineProgress progress;
    private final OptimisticRetry retry;
    private final JobFinisher finisher;
    private final JobPayloadAssembler assembler;
    private final Clock clock;

    public RequestJobService(RunnerRepository runners, JobRepository jobs, PipelineRepository pipelines,
                             ProjectRepository projects, UserRepository users, ArtifactRepository artifacts,
                             PipelineProgress progress, OptimisticRetry retry, JobFinisher finisher,
                             RunnerSettings settings, Clock clock) {
        this.runners = Objects.requireNonNull(runners, "runners");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.finisher = Objects.requireNonNull(finisher, "finisher");
        this.assembler = new JobPayloadAssembler(projects, pipelines, users, jobs, artifacts, settings);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public JobRequestResult request(JobRequest request) {
        Runner runner = RunnerTokens.authenticate(runners, request.token());
        runner = noteContact(runner, request.info(), clock.instant());
        if (!runner.active()) {
            // GitLab: a paused runner gets 204 with its queue value, and nothing is claimed for it.
            return new NoJob(queueValue(runner));
        }
        for (int claims = 0; claims < MAX_CLAIMS_PER_REQUEST; claims++) {
            String token = SecretTokens.generate(JOB_TOKEN_PREFIX);
            String digest = SecretTokens.digest(token);
            Instant now = clock.instant();
            Runner picker = runner;
            Optional<Job> claimed = jobs.claimPending(
                    job -> picker.canPick(Set.copyOf(job.spec().tags()), job.projectId()),
                    job -> job.run(picker.id(), digest, now));
            if (claimed.isEmpty()) {
                break;
            }
            Job job = claimed.get();
            JobPayloadAssembler.RunContext context = assembler.load(job);
            if (!context.dependenciesValid(now)) {
                drop(job, digest, FailureReason.MISSING_DEPENDENCY_FAILURE, now);
                continue;
            }
            if (!JobPayloadAssembler.requiredRunnerFeatures(job).stream().allMatch(request.info()::supports)) {
                drop(job, digest, FailureReason.RUNNER_UNSUPPORTED, now);
                continue;
            }
            refreshPipelineStatus(job);
            return new Assigned(assembler.payload(job, token, runner, context, now));
        }
        return new NoJob(queueValue(runner));
    }

    @Override
    public boolean queueUnchanged(String token, String lastUpdate) {
        Runner runner = RunnerTokens.authenticate(runners, token);
        return lastUpdate != null && lastUpdate.equals(queueValue(runner));
    }

    /**
     * Records that the runner called, and whether it runs after_script when a job is canceled (its
     * {@code cancel_gracefully} feature): canceling its running jobs then waits for it.
     */
    private Runner noteContact(Runner runner, RunnerInfo info, Instant now) {
        boolean graceful = info.supports(RunnerInfo.CANCEL_GRACEFULLY);
        boolean contactStale = runner.contactedAt() == null
                || !runner.contactedAt().plus(CONTACT_WRITE_INTERVAL).isAfter(now);
        if (!contactStale && graceful == runner.gracefulCancel()) {
            return runner;
        }
        Runner contacted = new Runner(runner.id(), runner.description(), runner.type(), runner.projectId(),
                runner.active(), runner.tags(), runner.runUntagged(), graceful, runner.tokenDigest(),
                runner.createdAt(), now);
        return runners.update(contacted);
    }

    /** GitLab drops the job and looks for the next one; the job keeps the runner that found it unfit. */
    private void drop(Job claimed, String digest, FailureReason reason, Instant now) {
        finisher.finish(claimed.id(), fresh -> fresh.status() == JobStatus.RUNNING && digest.equals(fresh.tokenDigest())
                ? fresh.drop(reason, null, now)
                : fresh);
    }

    /**
     * The claimed job moved the pipeline from pending to running. That status is derived, so a lost race here only
     * delays it until the job's next change; it must never cost the runner a job it already holds.
     */
    private void refreshPipelineStatus(Job job) {
        try {
            retry.run(() -> progress.advance(job.pipelineId()));
        } catch (ConflictException ignored) {
            // Others keep changing this pipeline; the next of their passes derives the status.
        }
    }

    /**
     * The {@code X-GitLab-Last-Update} value: it changes whenever the pending jobs at the head of the queue, or what
     * the runner may take, change. GitLab keeps such a value per runner in Redis; deriving it from the database keeps
     * it the same on every instance.
     */
    private String queueValue(Runner runner) {
        List<Job> head = jobs.findPending(QUEUE_WINDOW);
        StringBuilder state = new StringBuilder()
                .append(runner.id()).append('|').append(runner.active()).append('|').append(runner.runUntagged())
                .append('|').append(runner.type()).append('|').append(runner.projectId()).append('|')
                .append(String.join(",", runner.tags()));
        for (Job job : head) {
            state.append('|').append(job.id());
        }
        return SecretTokens.digest(state.toString()).substring(0, 32);
    }
}
