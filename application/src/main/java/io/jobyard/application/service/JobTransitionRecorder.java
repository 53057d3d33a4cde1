package io.jobyard.application.service;

import io.jobyard.application.port.out.JobEventListener;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Tells a {@link JobEventListener} of each job status change where it is persisted, so no service has to remember to.
 * It hands out a {@link JobRepository} and a {@link Transactor} that wrap the real ones: every stored job whose status
 * differs from the stored row's is a transition, and transitions made inside a transaction are told only once the
 * outermost transaction commits (a rolled-back attempt, such as an optimistic retry, tells nothing).
 *
 * <p>An update reads the job's stored status first (one lookup by primary key): the job a service stores carries only
 * its new status, and a transition counted from anything else could be wrong.
 */
public final class JobTransitionRecorder {
    private record Transition(JobStatus from, JobStatus to) {
    }

    private static final class Pending {
        int depth;
        final List<Transition> transitions = new ArrayList<>();
    }

    private final JobRepository jobs;
    private final Transactor transactor;
    private final JobEventListener listener;
    private final ThreadLocal<Pending> pending = ThreadLocal.withInitial(Pending::new);
    private final JobRepository recordingJobs = new RecordingJobs();
    private final Transactor recordingTransactor = new RecordingTransactor();

    public JobTransitionRecorder(JobRepository jobs, Transactor transactor, JobEventListener listener) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The jobs, telling the listener of status changes. */
    public JobRepository jobs() {
        return recordingJobs;
    }

    /** The transactor every service must use, so transitions are told after commit. */
    public Transactor transactor() {
        return recordingTransactor;
    }

    private void record(JobStatus from, JobStatus to) {
        if (from == to) {
            return;
        }
        Pending current = pending.get();
        if (current.depth > 0) {
            current.transitions.add(new Transition(from, to));
        } else {
            pending.remove();
            tell(List.of(new Transition(from, to)));
        }
    }

    private void tell(List<Transition> transitions) {
        for (Transition transition : transitions) {
            try {
                listener.transitioned(transition.from(), transition.to());
            } catch (RuntimeException listenerFailed) {
                // A listener is for operations only; its failure must not undo or fail a committed change.
            }
        }
    }

    private final class RecordingTransactor implements Transactor {
        @Override
        public <T> T inTransaction(Supplier<T> work) {
            Pending current = pending.get();
            current.depth++;
            boolean committed = false;
            T result;
            try {
                result = transactor.inTransaction(work);
                committed = true;
            } finally {
                current.depth--;
                if (current.depth == 0) {
                    List<Transition> done = List.copyOf(current.transitions);
                    current.transitions.clear();
                    pending.remove();
                    if (committed) {
                        tell(done);
                    }
                }
            }
            return result;
        }

        @Override
        public <T> T reading(Supplier<T> work) {
            return transactor.reading(work);
        }
    }

    private final class RecordingJobs implements JobRepository {
        @Override
        public JobId nextId() {
            return jobs.nextId();
        }

        @Override
        public Job insert(Job job) {
            Job stored = jobs.insert(job);
            record(null, stored.status());
            return stored;
        }

        @Override
        public List<Job> insertAll(List<Job> batch) {
            List<Job> stored = jobs.insertAll(batch);
            stored.forEach(job -> record(null, job.status()));
            return stored;
        }

        @Override
        public Job update(Job job) {
            JobStatus before = jobs.findById(job.id()).map(Job::status).orElse(null);
            Job stored = jobs.update(job);
            if (before != null) {
                record(before, stored.status());
            }
            return stored;
        }

        @Override
        public Optional<Job> claimPending(Predicate<Job> runnerCanTake, UnaryOperator<Job> toRunning) {
            Optional<Job> claimed = jobs.claimPending(runnerCanTake, toRunning);
            claimed.ifPresent(job -> record(JobStatus.PENDING, job.status()));
            return claimed;
        }

        @Override
        public Optional<Job> findById(JobId id) {
            return jobs.findById(id);
        }

        @Override
        public Map<JobId, Job> findByIds(Collection<JobId> ids) {
            return jobs.findByIds(ids);
        }

        @Override
        public List<Job> findByPipeline(PipelineId pipeline) {
            return jobs.findByPipeline(pipeline);
        }

        @Override
        public List<Job> listForProject(ProjectId project, Set<JobStatus> statuses, long offset, int limit) {
            return jobs.listForProject(project, statuses, offset, limit);
        }

        @Override
        public List<Job> listForProjectBefore(ProjectId project, Set<JobStatus> statuses, JobId beforeId, int limit) {
            return jobs.listForProjectBefore(project, statuses, beforeId, limit);
        }

        @Override
        public List<Job> listForPipeline(PipelineId pipeline, Set<JobStatus> statuses, boolean includeRetried,
                                         long offset, int limit) {
            return jobs.listForPipeline(pipeline, statuses, includeRetried, offset, limit);
        }

        @Override
        public long countForPipeline(PipelineId pipeline, Set<JobStatus> statuses, boolean includeRetried) {
            return jobs.countForPipeline(pipeline, statuses, includeRetried);
        }

        @Override
        public List<Job> search(ProjectId project, JobFilter filter, JobOrdering ordering, SortKey after,
                                long offset, int limit) {
            return jobs.search(project, filter, ordering, after, offset, limit);
        }

        @Override
        public long count(ProjectId project, JobFilter filter) {
            return jobs.count(project, filter);
        }

        @Override
        public Optional<Job> findLatestByName(PipelineId pipeline, String name) {
            return jobs.findLatestByName(pipeline, name);
        }

        @Override
        public Optional<Job> findByTokenDigest(String digest) {
            return jobs.findByTokenDigest(digest);
        }

        @Override
        public List<Job> findPending(int limit) {
            return jobs.findPending(limit);
        }

        @Override
        public long countPending() {
            return jobs.countPending();
        }

        @Override
        public List<Job> findScheduledBefore(Instant now, int limit) {
            return jobs.findScheduledBefore(now, limit);
        }

        @Override
        public List<Job> findRunningNotUpdatedSince(Instant before, int limit) {
            return jobs.findRunningNotUpdatedSince(before, limit);
        }
    }
}
