package io.jobyard.application.service.live;

import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.TraceArchiveQueue;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@link LiveJobStates} read from the repositories: the jobs in one query, and for the finished ones only, whether
 * their log has reached its final place. A finished job's log is final once it is archived (the trace artifact is
 * recorded), erased, or was never written. A job whose ending queued its log for archiving
 * ({@link TraceArchiveQueue}) is not final while the entry waits, however long the archiving takes (it is retried
 * until it succeeds): the follower then reads the end from the archive. A live log left behind without an entry — a
 * job that ended before endings queued their archive, or that was written to the store directly — is final once the
 * job has been finished for the archiving wait, since appends to a finished job are refused.
 */
public final class StoredLiveJobStates implements LiveJobStates {
    private final JobRepository jobs;
    private final ArtifactRepository artifacts;
    private final TraceStore traces;
    private final TraceArchiveQueue archiveQueue;
    private final Transactor transactor;
    private final Clock clock;
    private final Duration archiveWait;

    public StoredLiveJobStates(JobRepository jobs, ArtifactRepository artifacts, TraceStore traces,
                               TraceArchiveQueue archiveQueue, Transactor transactor, Clock clock,
                               Duration archiveWait) {
        this.archiveQueue = Objects.requireNonNull(archiveQueue, "archiveQueue");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.traces = Objects.requireNonNull(traces, "traces");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.archiveWait = Objects.requireNonNull(archiveWait, "archiveWait");
    }

    @Override
    public Map<JobId, LiveJobState> current(Collection<JobId> ids) {
        Map<JobId, Job> found = transactor.reading(() -> jobs.findByIds(ids));
        List<JobId> finished = found.values().stream().filter(job -> job.status().isComplete()).map(Job::id).toList();
        // Read before the artifacts: the worker records the archive before it removes the entry, so a job found not
        // queued here and not archived below was never queued or has been archived meanwhile (and is found so below).
        Set<JobId> queued = finished.isEmpty() ? Set.of() : archiveQueue.queued(finished);
        Map<JobId, LiveJobState> states = new HashMap<>();
        for (JobId id : ids) {
            Job job = found.get(id);
            states.put(id, job == null ? LiveJobState.GONE
                    : new LiveJobState(job.status(), logFinal(job, queued.contains(id))));
        }
        return states;
    }

    private boolean logFinal(Job job, boolean queued) {
        if (!job.status().isComplete()) {
            return false;
        }
        if (job.erased() || artifacts.findByJobAndType(job.id(), ArtifactFileType.TRACE).isPresent()) {
            return true;
        }
        if (queued) {
            return false; // finished, its archive not yet recorded: not final until it is
        }
        // The archiver deletes the live log only after it recorded the artifact (looked for above): no live log and
        // no record means there never was a log.
        if (traces.length(job.id()) == 0) {
            return true;
        }
        Instant finished = job.finishedAt();
        return finished == null || !clock.instant().isBefore(finished.plus(archiveWait));
    }
}
