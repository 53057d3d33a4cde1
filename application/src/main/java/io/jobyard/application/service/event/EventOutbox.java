package io.jobyard.application.service.event;

import io.jobyard.application.port.out.EventLog;
import io.jobyard.application.port.out.HookRepository;
import io.jobyard.application.port.out.JobEventListener;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.application.port.out.TraceArchiveQueue;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Where job and pipeline status changes become events, so that no service has to remember to write one: it hands out
 * a {@link JobRepository}, a {@link PipelineRepository} and a {@link Transactor} that wrap the real ones. Every stored
 * job or pipeline whose status differs from the stored row's (or that is new) is a change; at the end of the outermost
 * transaction, still inside it, the changes are appended to the {@link EventLog} and the webhook deliveries they call
 * for are queued, and so is the archiving of the log of every job that has just ended (see
 * {@link #endsALog}), so they commit together with the change or not at all (an outbox). Appending last also means the
 * per-project sequence lock is the last lock a transaction takes and is held only until its commit.
 *
 * <p>A write made outside any transaction runs in one of its own. After a commit, the job transitions are told to the
 * {@link JobEventListener} (metrics, long polling) and the events to the {@code committed} callback (which wakes the
 * event tailer and the delivery worker); a rolled-back attempt, such as an optimistic retry, tells nothing.
 *
 * <p>Knowing the stored status takes no extra read in the usual case: a row read or written in the running transaction
 * at lock version {@code n} is what an optimistic update against version {@code n} replaces. Only an update of a row
 * not seen in the transaction reads it first.
 */
public final class EventOutbox {
    private static final System.Logger LOG = System.getLogger(EventOutbox.class.getName());

    private record Seen(long lockVersion, JobStatus status) {
    }

    private static final class Pending {
        int depth;
        final List<StatusEvent.Change> changes = new ArrayList<>();
        final Map<JobId, Seen> jobs = new HashMap<>();
        final Map<PipelineId, Seen> pipelines = new HashMap<>();
        List<StatusEvent> appended = List.of();
    }

    private final JobRepository jobs;
    private final PipelineRepository pipelines;
    private final Transactor transactor;
    private final EventLog log;
    private final HookRepository hooks;
    private final TraceArchiveQueue archives;
    private final Clock clock;
    private final JobEventListener listener;
    private final Consumer<List<StatusEvent>> committed;
    private final ThreadLocal<Pending> pending = ThreadLocal.withInitial(Pending::new);
    private final JobRepository recordingJobs = new RecordingJobs();
    private final PipelineRepository recordingPipelines = new RecordingPipelines();
    private final Transactor recordingTransactor = new RecordingTransactor();

    /**
     * @param hooks     where webhook deliveries are queued, or null for none
     * @param listener  told of each job transition after commit
     * @param committed told of the events of each commit, after it
     */
    public EventOutbox(JobRepository jobs, PipelineRepository pipelines, Transactor transactor, EventLog log,
                       HookRepository hooks, Clock clock, JobEventListener listener,
                       Consumer<List<StatusEvent>> committed) {
        this(jobs, pipelines, transactor, log, hooks, null, clock, listener, committed);
    }

    /**
     * @param hooks     where webhook deliveries are queued, or null for none
     * @param archives  where the logs of ended jobs are queued for archiving, or null for none
     * @param listener  told of each job transition after commit
     * @param committed told of the events of each commit, after it
     */
    public EventOutbox(JobRepository jobs, PipelineRepository pipelines, Transactor transactor, EventLog log,
                       HookRepository hooks, TraceArchiveQueue archives, Clock clock, JobEventListener listener,
                       Consumer<List<StatusEvent>> committed) {
        this.archives = archives;
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.log = Objects.requireNonNull(log, "log");
        this.hooks = hooks;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = listener == null ? JobEventListener.NONE : listener;
        this.committed = committed == null ? events -> { } : committed;
    }

    /** The jobs; every service must use these. */
    public JobRepository jobs() {
        return recordingJobs;
    }

    /** The pipelines; every service must use these. */
    public PipelineRepository pipelines() {
        return recordingPipelines;
    }

    /** The transactor every service must use, so events are appended before and told after the commit. */
    public Transactor transactor() {
        return recordingTransactor;
    }

    private <T> T write(Supplier<T> work) {
        return recordingTransactor.inTransaction(work);
    }

    private Pending current() {
        Pending current = pending.get();
        if (current.depth == 0) {
            throw new IllegalStateException("recorded outside a transaction");
        }
        return current;
    }

    private void changed(StatusEvent.Change change) {
        if (change.status() != change.previous()) {
            current().changes.add(change);
        }
    }

    /** {@code job} as stored now, coming from {@code previous} (null: created). */
    private Job jobChanged(Job job, JobStatus previous) {
        changed(StatusEvent.Change.ofJob(job.projectId(), job.id(), job.pipelineId(), previous, job.status()));
        return job;
    }

    /**
     * The status an update of the version {@code lockVersion} replaces: as this transaction last read that version,
     * or else as stored (an update of a version never read here); null when nothing is stored.
     */
    private static JobStatus previous(Seen before, long lockVersion, Supplier<Optional<JobStatus>> stored) {
        return before != null && before.lockVersion() == lockVersion ? before.status() : stored.get().orElse(null);
    }

    private Job seen(Job job) {
        Pending current = pending.get();
        if (current.depth > 0) {
            current.jobs.put(job.id(), new Seen(job.lockVersion(), job.status()));
        }
        return job;
    }

    private <C extends Collection<Job>> C seenJobs(C found) {
        if (pending.get().depth > 0) {
            found.forEach(this::seen);
        }
        return found;
    }

    private Pipeline seen(Pipeline pipeline) {
        Pending current = pending.get();
        if (current.depth > 0) {
            current.pipelines.put(pipeline.id(), new Seen(pipeline.lockVersion(), pipeline.status()));
        }
        return pipeline;
    }

    private final class RecordingTransactor implements Transactor {
        @Override
        public <T> T inTransaction(Supplier<T> work) {
            Pending current = pending.get();
            if (current.depth > 0) {
                current.depth++;
                try {
                    return work.get();
                } finally {
                    current.depth--;
                }
            }
            current.depth = 1;
            boolean done = false;
            T result;
            try {
                result = transactor.inTransaction(() -> {
                    // A retried transaction (the adapter may run the work again) starts from nothing.
                    current.changes.clear();
                    current.jobs.clear();
                    current.pipelines.clear();
                    T value = work.get();
                    flush(current);
                    return value;
                });
                done = true;
            } finally {
                List<StatusEvent> appended = current.appended;
                pending.remove();
                if (done) {
                    tell(appended);
                }
            }
            return result;
        }

        @Override
        public <T> T reading(Supplier<T> work) {
            return transactor.reading(work);
        }
    }

    private void flush(Pending current) {
        if (current.changes.isEmpty()) {
            current.appended = List.of();
            return;
        }
        Instant now = clock.instant();
        List<StatusEvent.Change> changes = List.copyOf(current.changes);
        // The event log holds each project's counter lock from numbering the events until the commit, and every
        // other transition of the project waits for it: whatever does not need the events' numbers comes first.
        if (archives != null) {
            for (StatusEvent.Change change : changes) {
                if (endsALog(change.job(), change.previous(), change.status())) {
                    archives.enqueue(change.job(), now);
                }
            }
        }
        HookRepository.Subscribers subscribers = hooks == null ? null
                : hooks.subscribers(changes.stream().map(StatusEvent.Change::project).collect(Collectors.toSet()));
        List<StatusEvent> appended = log.append(changes, now);
        if (subscribers != null) {
            subscribers.enqueue(appended, now);
        }
        current.changes.clear();
        current.appended = appended;
    }

    /**
     * Whether the event ends a job that may have a live log: one that was executing (running or canceling: only then
     * may a runner append) and is now complete. Its log is archived in the background (GitLab's
     * {@code BuildFinishedWorker} → {@code ArchiveTraceWorker}, on every ending: success, failure, cancel), from the
     * queue entry written in the transaction of the ending.
     */
    public static boolean endsALog(StatusEvent event) {
        return endsALog(event.job(), event.previous(), event.status());
    }

    private static boolean endsALog(JobId job, JobStatus previous, JobStatus status) {
        return job != null && previous != null && previous.isExecuting() && status.isComplete();
    }

    private void tell(List<StatusEvent> appended) {
        if (appended.isEmpty()) {
            return;
        }
        for (StatusEvent event : appended) {
            if (event.job() == null) {
                continue;
            }
            try {
                listener.transitioned(event.previous(), event.status());
            } catch (RuntimeException listenerFailed) {
                // A listener is for operations only; its failure must not undo or fail a committed change.
                LOG.log(System.Logger.Level.DEBUG, "a job transition listener failed", listenerFailed);
            }
        }
        try {
            committed.accept(appended);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "telling of committed events failed", e);
        }
    }

    private final class RecordingJobs implements JobRepository {
        @Override
        public JobId nextId() {
            return jobs.nextId();
        }

        @Override
        public Job insert(Job job) {
            return write(() -> jobChanged(seen(jobs.insert(job)), null));
        }

        @Override
        public List<Job> insertAll(List<Job> batch) {
            return write(() -> {
                List<Job> stored = jobs.insertAll(batch);
                stored.forEach(job -> jobChanged(seen(job), null));
                return stored;
            });
        }

        @Override
        public Job update(Job job) {
            return write(() -> {
                JobStatus previous = previous(pending.get().jobs.get(job.id()), job.lockVersion(),
                        () -> jobs.findById(job.id()).map(Job::status));
                Job stored = seen(jobs.update(job));
                return previous == null ? stored : jobChanged(stored, previous);
            });
        }

        @Override
        public Optional<Job> claimPending(Predicate<Job> runnerCanTake, UnaryOperator<Job> toRunning) {
            return write(() -> {
                Optional<Job> claimed = jobs.claimPending(runnerCanTake, toRunning);
                claimed.ifPresent(job -> jobChanged(seen(job), JobStatus.PENDING));
                return claimed;
            });
        }

        @Override
        public Optional<Job> findById(JobId id) {
            return jobs.findById(id).map(EventOutbox.this::seen);
        }

        @Override
        public Map<JobId, Job> findByIds(Collection<JobId> ids) {
            Map<JobId, Job> found = jobs.findByIds(ids);
            seenJobs(found.values());
            return found;
        }

        @Override
        public List<Job> findByPipeline(PipelineId pipeline) {
            return seenJobs(jobs.findByPipeline(pipeline));
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
        public List<Job> search(ProjectId project, JobFilter filter, JobOrdering ordering, SortKey after, long offset,
                                int limit) {
            return jobs.search(project, filter, ordering, after, offset, limit);
        }

        @Override
        public long count(ProjectId project, JobFilter filter) {
            return jobs.count(project, filter);
        }

        @Override
        public Optional<Job> findLatestByName(PipelineId pipeline, String name) {
            return jobs.findLatestByName(pipeline, name).map(EventOutbox.this::seen);
        }

        @Override
        public Optional<Job> findByTokenDigest(String digest) {
            return jobs.findByTokenDigest(digest).map(EventOutbox.this::seen);
        }

        @Override
        public List<Job> findPending(int limit) {
            return seenJobs(jobs.findPending(limit));
        }

        @Override
        public long countPending() {
            return jobs.countPending();
        }

        @Override
        public List<Job> findScheduledBefore(Instant now, int limit) {
            return seenJobs(jobs.findScheduledBefore(now, limit));
        }

        @Override
        public List<Job> findRunningNotUpdatedSince(Instant before, int limit) {
            return seenJobs(jobs.findRunningNotUpdatedSince(before, limit));
        }
    }

    private final class RecordingPipelines implements PipelineRepository {
        @Override
        public PipelineId nextId() {
            return pipelines.nextId();
        }

        @Override
        public long nextIid(ProjectId project) {
            return pipelines.nextIid(project);
        }

        @Override
        public Pipeline insert(Pipeline pipeline) {
            return write(() -> {
                Pipeline stored = seen(pipelines.insert(pipeline));
                changed(StatusEvent.Change.ofPipeline(stored.projectId(), stored.id(), null, stored.status()));
                return stored;
            });
        }

        @Override
        public Pipeline update(Pipeline pipeline) {
            return write(() -> {
                JobStatus previous = previous(pending.get().pipelines.get(pipeline.id()), pipeline.lockVersion(),
                        () -> pipelines.findById(pipeline.id()).map(Pipeline::status));
                Pipeline stored = seen(pipelines.update(pipeline));
                if (previous != null) {
                    changed(StatusEvent.Change.ofPipeline(stored.projectId(), stored.id(), previous,
                            stored.status()));
                }
                return stored;
            });
        }

        @Override
        public Optional<Pipeline> findById(PipelineId id) {
            return pipelines.findById(id).map(EventOutbox.this::seen);
        }

        @Override
        public Map<PipelineId, Pipeline> findByIds(Collection<PipelineId> ids) {
            Map<PipelineId, Pipeline> found = pipelines.findByIds(ids);
            if (pending.get().depth > 0) {
                found.values().forEach(EventOutbox.this::seen);
            }
            return found;
        }

        @Override
        public Optional<Pipeline> latestSuccessfulForRef(ProjectId project, String ref) {
            return pipelines.latestSuccessfulForRef(project, ref);
        }

        @Override
        public Map<String, PipelineId> latestSuccessfulIdsForRefs(ProjectId project, Collection<String> refs) {
            return pipelines.latestSuccessfulIdsForRefs(project, refs);
        }

        @Override
        public List<Pipeline> list(ProjectId project, PipelineFilter filter, long offset, int limit) {
            return pipelines.list(project, filter, offset, limit);
        }

        @Override
        public long count(ProjectId project, PipelineFilter filter) {
            return pipelines.count(project, filter);
        }

        @Override
        public List<Pipeline> search(ProjectId project, PipelineQuery query, long offset, int limit) {
            return pipelines.search(project, query, offset, limit);
        }

        @Override
        public long searchCount(ProjectId project, PipelineQuery query) {
            return pipelines.searchCount(project, query);
        }

        @Override
        public List<Pipeline> searchAfter(ProjectId project, PipelineQuery query, SortKey after, int limit) {
            return pipelines.searchAfter(project, query, after, limit);
        }
    }
}
