package io.jobyard.application.service.trace;

import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.trace.ReadTraceUseCase;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.application.service.artifact.Downloads;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.util.Objects;
import java.util.Optional;

/**
 * A job's log (contract §3.4): the archived trace artifact when there is one, else the live log — the same download
 * either way, so a client cannot tell which it got.
 *
 * <p>Reads stay correct while {@link TraceArchiver} works because it publishes the archived copy and commits its
 * record before it deletes the live log: at every moment the whole log exists in at least one of the two places. A
 * download that was prepared from the live log and finds it gone when it opens looks the record up again and reads
 * the same bytes from the archived copy.
 */
public final class ReadTraceService implements ReadTraceUseCase {
    private final ProjectGate gate;
    private final JobRepository jobs;
    private final ArtifactRepository artifacts;
    private final ArtifactStore store;
    private final TraceStore traces;
    private final Transactor transactor;

    public ReadTraceService(ProjectGate gate, JobRepository jobs, ArtifactRepository artifacts, ArtifactStore store,
                            TraceStore traces, Transactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.store = Objects.requireNonNull(store, "store");
        this.traces = Objects.requireNonNull(traces, "traces");
    }

    @Override
    public Download readTrace(Actor actor, ProjectRef project, JobId jobId) {
        // The access checks share one connection; the log lookup after them may ask object storage, which no
        // pooled connection should wait for.
        return logOf(transactor.reading(() -> readableJob(actor, project, jobId)).id());
    }

    private Job readableJob(Actor actor, ProjectRef project, JobId jobId) {
        ProjectGate.ProjectJob found = gate.openJob(actor, project, jobId);
        Job job = found.job();
        if (!found.access().canReadTrace(job)) {
            throw new ForbiddenException();
        }
        return job;
    }

    /** The log of a job without access checks, for callers that have done them (or are the system). */
    public Download logOf(JobId job) {
        String filename = job.value() + ".log";
        Optional<JobArtifact> archived = archivedTrace(job);
        if (archived.isPresent()) {
            return Downloads.ofArtifact(store, archived.get(), filename, Optional.empty());
        }
        long length = traces.length(job);
        if (length == 0) {
            // Archived and its live log removed between the two reads? The archive is recorded before the live log
            // goes, so it is visible now; without this look a reader saw an empty log for a moment of the hand-over.
            Optional<JobArtifact> archivedSince = archivedTrace(job);
            if (archivedSince.isPresent()) {
                return Downloads.ofArtifact(store, archivedSince.get(), filename, Optional.empty());
            }
            return Downloads.empty(filename, "trace-" + job.value() + "-0");
        }
        // A live log only grows and its first bytes never change, so (job, length) names its content exactly.
        String etag = "trace-" + job.value() + "-" + length;
        return new Download(filename, length, etag, null, Optional.empty(), true,
                range -> openLive(job, length, range));
    }

    private BlobContent openLive(JobId job, long size, ByteRange range) {
        Downloads.requireSatisfiable(range, size);
        long length = range.lengthWithin(size);
        ByteRange exact = new ByteRange(range.offset(), length);
        if (traces.length(job) >= range.offset() + length) {
            try {
                BlobContent live = traces.read(job, exact);
                if (live.length() == length) {
                    return new BlobContent(live.stream(), size, live.offset(), live.length());
                }
                live.close();
            } catch (RangeNotSatisfiableException | NotFoundException e) {
                // Archived and removed between the length check and the read: fall through to the archive.
            }
        }
        JobArtifact archived = archivedTrace(job).orElseThrow(() -> NotFoundException.plain("Trace"));
        BlobContent copy = store.read(archived.storageKey(), exact);
        return new BlobContent(copy.stream(), size, copy.offset(), copy.length());
    }

    /** The trace artifact, if its record exists and so do its bytes (GitLab serves a record without file as empty). */
    private Optional<JobArtifact> archivedTrace(JobId job) {
        return artifacts.findByJobAndType(job, ArtifactFileType.TRACE)
                .filter(trace -> store.size(trace.storageKey()).isPresent());
    }
}
