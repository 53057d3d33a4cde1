package io.jobyard.application.service.pipeline;

import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobEvent;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.job.TransitionContext;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineProcessor;
import io.jobyard.domain.user.UserId;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What happens to a pipeline after one of its jobs changed state: failed jobs whose {@code retry:} allows it are
 * retried, skipped jobs after a retried or played job are reopened, created jobs whose predecessors are done are
 * enqueued / made manual / scheduled / skipped ({@link PipelineProcessor}), and the pipeline's derived status is
 * stored. Every use case that changes a job's status ends here.
 *
 * <p>Each method reads and writes through the repositories and must run inside the caller's transaction (usually
 * {@link OptimisticRetry#run}), so a lost optimistic race retries the whole use case from fresh reads.
 */
public final class PipelineProgress {
    private final JobRepository jobs;
    private final PipelineRepository pipelines;
    private final ArchivePolicy archivePolicy;
    private final Clock clock;

    /** GitLab's {@code retryable_builds}: the latest jobs whose status is failed_or_canceled. */
    private static final Set<JobStatus> RETRIED_WITH_PIPELINE =
            EnumSet.of(JobStatus.FAILED, JobStatus.CANCELED, JobStatus.CANCELING);

    public PipelineProgress(JobRepository jobs, PipelineRepository pipelines, ArchivePolicy archivePolicy,
                            Clock clock) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.archivePolicy = Objects.requireNonNull(archivePolicy, "archivePolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Brings the pipeline up to date after some of its jobs changed.
     *
     * @return the pipeline as stored
     */
    public Pipeline advance(PipelineId pipeline) {
        return new Pass(pipeline).settle();
    }

    /**
     * {@link #advance} after {@code changed} was stored, answering that job as processing left it (an automatic retry
     * marks it retried). The pass reads the pipeline's jobs anyway and keeps them current as it writes, so the answer
     * costs no read of its own: this is on every runner's {@code PUT} of a job's end.
     *
     * @param changed a job of the pipeline, as stored in this transaction
     */
    public Job advanceAfter(Job changed) {
        Pass pass = new Pass(changed.pipelineId());
        pass.settle();
        return pass.current(changed.id());
    }

    /**
     * GitLab's RetryJobService: clones {@code job} (a fresh read of a retryable job) as a new created job of
     * {@code retriedBy}, marks the old one retried, reopens the skipped jobs after it and processes the pipeline. A
     * manual or delayed job being retried is enqueued at once rather than waiting for a person again.
     *
     * @param variables replace the clone's variables when not null (a finished manual job played again)
     * @return the new job as processing left it (typically pending)
     * @throws StaleObjectException when the job changed since {@code job} was read: the caller's judgement of it is
     *                              stale, and the use case must run again from fresh reads
     */
    public Job retry(Job job, UserId retriedBy, List<JobVariable> variables) {
        Pass pass = new Pass(job.pipelineId());
        Job current = pass.current(job.id());
        if (current.lockVersion() != job.lockVersion()) {
            // The caller judged `job` retryable on its own read; the pass read the pipeline's jobs again, and under
            // READ COMMITTED that later statement sees what committed in between, such as another instance's retry of
            // this very job. Retrying that newer version would skip the caller's check and give the job a second
            // successor; the version the decision was made on is the one the write must be conditional on.
            throw new StaleObjectException("Job " + job.id());
        }
        Job clone = pass.retry(current, retriedBy, false, variables, true);
        pass.settle();
        return pass.current(clone.id());
    }

    /**
     * GitLab's RetryPipelineService: every latest failed, canceled or canceling job that may still be retried is
     * cloned as a created job of {@code retriedBy}, every latest skipped job is reopened, and the pipeline is processed.
     * Unlike a single job's retry, retried manual and delayed jobs wait for a person or their time again (GitLab clones
     * them without {@code enqueue_immediately}).
     *
     * @return the pipeline as stored
     */
    public Pipeline retryPipeline(PipelineId pipeline, UserId retriedBy) {
        Objects.requireNonNull(retriedBy, "retriedBy");
        Pass pass = new Pass(pipeline);
        for (Job job : pass.latest()) {
            boolean due = RETRIED_WITH_PIPELINE.contains(job.status())
                    && job.retryable(archivePolicy.isArchived(job, pass.now));
            if (due) {
                pass.retry(job, retriedBy, false, null, false);
            }
        }
        for (Job job : pass.latest()) {
            if (job.status() == JobStatus.SKIPPED) {
                pass.store(job.apply(JobEvent.PROCESS, TransitionContext.plain(), pass.now).toBuilder()
                        .userId(retriedBy).build());
            }
        }
        return pass.settle();
    }

    /**
     * After a manual or scheduled job was played (enqueued): the skipped jobs after it are reopened (GitLab's
     * ResetSkippedJobsService) and the pipeline processed.
     *
     * @return the pipeline as stored
     */
    public Pipeline afterPlay(Job played, UserId playedBy) {
        Pass pass = new Pass(played.pipelineId());
        pass.reopenAfter(pass.current(played.id()), playedBy);
        return pass.settle();
    }

    /** One processing pass over a pipeline: its jobs as read at the start, kept current as the pass writes them. */
    private final class Pass {
        private final PipelineId pipelineId;
        private final Instant now = clock.instant();
        private final Map<JobId, Job> jobsById = new LinkedHashMap<>();
        /**
         * Action jobs retried in this pass: processing enqueues them instead of waiting for a person. GitLab persists
         * this flag on the job; Jobyard applies it in the pass that creates the clone. Should the clone's predecessors
         * still be running then (they were retried too), it later waits for a person as its original did.
         */
        private final Set<JobId> enqueueImmediately = new HashSet<>();
        private final List<Reopening> reopenings = new ArrayList<>();

        private record Reopening(Job retried, UserId by) {
        }

        Pass(PipelineId pipelineId) {
            this.pipelineId = pipelineId;
            for (Job job : jobs.findByPipeline(pipelineId)) {
                jobsById.put(job.id(), job);
            }
        }

        Job current(JobId id) {
            Job job = jobsById.get(id);
            if (job == null) {
                throw NotFoundException.record("Job");
            }
            return job;
        }

        /** Stores a new or changed job and keeps the stored version (with its new lock version) for later writes. */
        Job store(Job job) {
            Job stored = jobsById.containsKey(job.id()) ? jobs.update(job) : jobs.insert(job);
            jobsById.put(stored.id(), stored);
            return stored;
        }

        /** The jobs not replaced by a retry, in id order (a copy: the pass may store while the caller iterates). */
        List<Job> latest() {
            return jobsById.values().stream().filter(j -> !j.retried()).toList();
        }

        /** @param enqueueAction whether a retried manual or delayed job starts without waiting for a person */
        Job retry(Job old, UserId by, boolean automatic, List<JobVariable> variables, boolean enqueueAction) {
            Job clone = old.retryAs(jobs.nextId(), by, automatic, now);
            if (variables != null) {
                clone = clone.toBuilder().spec(clone.spec().withVariables(variables)).build();
            }
            store(old.markRetried(now));
            Job stored = store(clone);
            if (enqueueAction && old.spec().isAction()) {
                enqueueImmediately.add(stored.id());
            }
            reopenAfter(old, automatic ? null : by);
            return stored;
        }

        void reopenAfter(Job job, UserId by) {
            reopenings.add(new Reopening(job, by));
        }

        Pipeline settle() {
            autoRetryFailedJobs();
            for (Reopening reopening : reopenings) {
                for (Job reopened : PipelineProcessor.reopenAfterRetry(jobsById.values(), reopening.retried(),
                        reopening.by(), now)) {
                    store(reopened);
                }
            }
            reopenings.clear();
            process();
            return storeStatus();
        }

        /** GitLab's {@code retry:}: a failed job is retried automatically while its policy allows. */
        private void autoRetryFailedJobs() {
            for (Job job : List.copyOf(jobsById.values())) {
                boolean due = job.status() == JobStatus.FAILED
                        && job.retryable(archivePolicy.isArchived(job, now))
                        && job.spec().retry().retries(job.failureReason(), job.autoRetries());
                if (due) {
                    retry(job, null, true, null, true);
                }
            }
        }

        private void process() {
            List<Job> input = new ArrayList<>(jobsById.size());
            for (Job job : jobsById.values()) {
                // GitLab's enqueue_immediately: processing treats the retried action job like an on_success job,
                // which starts after the same predecessor statuses as manual and delayed jobs do.
                input.add(enqueueImmediately.contains(job.id()) && job.status() == JobStatus.CREATED
                        ? job.toBuilder().spec(job.spec().withWhen(WhenCondition.ON_SUCCESS, null)).build()
                        : job);
            }
            for (Job changed : PipelineProcessor.process(input, now).changed()) {
                Job original = jobsById.get(changed.id());
                store(changed.toBuilder().spec(original.spec()).build());
            }
        }

        private Pipeline storeStatus() {
            Pipeline pipeline = pipelines.findById(pipelineId).orElseThrow(() -> NotFoundException.record("Pipeline"));
            Optional<JobStatus> derived = PipelineProcessor.status(jobsById.values());
            if (derived.isEmpty()) {
                return pipeline;
            }
            Pipeline next = pipeline.withStatus(derived.get(), now);
            return next == pipeline ? pipeline : pipelines.update(next);
        }
    }
}
