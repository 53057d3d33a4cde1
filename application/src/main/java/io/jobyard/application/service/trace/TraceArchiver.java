package io.jobyard.application.service.trace;

import io.jobyard.application.service.artifact.Digests;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.StagedBlob;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.artifact.StorageKeys;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Moves a finished job's live log into the artifact store as its {@code trace} artifact ({@code job.log}, raw), the
 * way GitLab archives traces, then removes the live chunks.
 *
 * <p>The order is what keeps reads working throughout ({@link ReadTraceService}): (1) stream the live log into
 * staging and publish it under a fresh key — invisible, as no record names it yet; (2) commit the record; (3) only
 * then delete the live log. Before (2) readers use the live log, after it the archived copy; the live log disappears
 * only once the copy is reachable. A crash after (2) leaves a live log that the next call removes; a crash between
 * (1) and (2) leaves an unreferenced blob, never a record without bytes. Two archivers racing on one job both copy,
 * one record wins, the loser deletes its copy. An erase racing the archiver wins too: the record in (2) writes the job,
 * so it and the erase serialize, and a job found erased there gets no log back (its copy is deleted).
 *
 * <p>An erased job has no log to archive: a live log found for it is one that a runner's append, authenticated before
 * the job ended, stored after the erase had removed the log, and it is removed again
 * ({@link io.jobyard.application.service.runner.AppendTraceService} asks for the archive whenever an append finds its
 * job ended after storing).
 */
public final class TraceArchiver {
    static final String FILENAME = "job.log";
    private static final int ATTEMPTS = 3;

    private final JobRepository jobs;
    private final ArtifactRepository artifacts;
    private final TraceStore traces;
    private final ArtifactStore store;
    private final Transactor transactor;
    private final Clock clock;
    private final OptimisticRetry retry;

    public TraceArchiver(JobRepository jobs, ArtifactRepository artifacts, TraceStore traces, ArtifactStore store,
                         Transactor transactor, Clock clock) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.traces = Objects.requireNonNull(traces, "traces");
        this.store = Objects.requireNonNull(store, "store");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retry = new OptimisticRetry(transactor);
    }

    public Optional<JobArtifact> archive(JobId jobId) {
        return archive(jobId, Set.of());
    }

    /**
     * Archives the log of a finished job; does nothing for a job that is still alive or has no log, and removes the
     * live log of an erased one.
     *
     * @param secrets masked once more over the whole log while copying (e.g. the job token, when the caller has it
     *                from the runner's final update), in their split forms too
     *                ({@link SecretMaskingInputStream#withSplitForms}), so an occurrence split across two appends is
     *                masked completely in the archived log
     * @return the trace artifact, new or already there
     */
    public Optional<JobArtifact> archive(JobId jobId, Collection<String> secrets) {
        Job job = jobs.findById(jobId).orElse(null);
        if (job == null || !job.status().isComplete()) {
            return Optional.empty();
        }
        if (job.erased()) {
            traces.delete(jobId);
            return Optional.empty();
        }
        List<String> masked = SecretMaskingInputStream.withSplitForms(secrets);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<JobArtifact> existing = artifacts.findByJobAndType(jobId, ArtifactFileType.TRACE);
            if (existing.isPresent()) {
                traces.delete(jobId); // an earlier run committed the record but may have stopped before this step
                return existing;
            }
            long length = traces.length(jobId);
            if (length == 0) {
                // No log — or another archiver has just finished and removed it.
                return artifacts.findByJobAndType(jobId, ArtifactFileType.TRACE);
            }
            StagedBlob staged;
            try (BlobContent live = traces.read(jobId, new ByteRange(0, length))) {
                InputStream bytes = masked.isEmpty() ? live.stream()
                        : new SecretMaskingInputStream(live.stream(), masked);
                staged = store.stage(bytes, length);
            } catch (RangeNotSatisfiableException removedMeanwhile) {
                continue;
            } catch (UncheckedIOException readFailed) {
                // A store that fetches the log as it is read finds it gone when another archiver has just recorded its
                // copy and removed the live log: look again (and find that record). Any other failure is one.
                if (traces.length(jobId) != length) {
                    continue;
                }
                throw readFailed;
            }
            try {
                if (traces.length(jobId) != length) {
                    continue; // the log changed while it was copied: look again
                }
                return Optional.ofNullable(publishAndRecord(job, staged));
            } finally {
                store.discard(staged);
            }
        }
        throw new ConflictException("the log of job " + jobId + " kept changing while it was archived");
    }

    /**
     * Whether the archived log of the job — archived now if the job's ending has not archived it yet — holds exactly the
     * bytes whose SHA-256 is {@code sha256} at {@code [from, to)}: how an append that found its job ended after storing
     * learns whether its bytes made it into the log for good.
     */
    public boolean archivedLogHolds(JobId jobId, long from, long to, byte[] sha256) {
        Optional<JobArtifact> trace = archive(jobId);
        if (trace.isEmpty() || trace.get().size() < to) {
            return false;
        }
        MessageDigest archived = Digests.sha256();
        try (BlobContent bytes = store.read(trace.get().storageKey(), new ByteRange(from, to - from));
             InputStream in = new DigestInputStream(bytes.stream(), archived)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return MessageDigest.isEqual(archived.digest(), sha256);
    }

    private JobArtifact publishAndRecord(Job job, StagedBlob staged) {
        ArtifactId id = artifacts.nextId();
        String key = StorageKeys.forArtifact(job.projectId(), job.id(), id, ArtifactFileType.TRACE);
        store.publish(staged, key);
        JobArtifact trace = new JobArtifact(id, job.id(), job.projectId(), ArtifactFileType.TRACE,
                ArtifactFormat.RAW, FILENAME, staged.size(), staged.sha256(), null, false,
                ArtifactAccessibility.PUBLIC, key, clock.instant());
        JobArtifact recorded;
        try {
            recorded = retry.run(() -> {
                Job current = jobs.findById(job.id()).orElseThrow(() -> NotFoundException.record("Job"));
                if (current.erasedAt() != null) {
                    return null; // erased while the log was copied: the log must not come back
                }
                JobArtifact inserted = artifacts.insert(trace);
                // Writing the job makes this record and an erase conflict, so one of them goes again from a fresh
                // read: an erase never misses the archived log, and no archived log appears after an erase.
                jobs.update(current);
                return inserted;
            });
        } catch (RuntimeException e) {
            store.delete(key);
            if (e instanceof ConflictException) {
                Optional<JobArtifact> winner = artifacts.findByJobAndType(job.id(), ArtifactFileType.TRACE);
                if (winner.isPresent()) {
                    return winner.get(); // a concurrent archiver recorded it first and removes the live log
                }
            }
            throw e;
        }
        if (recorded == null) {
            store.delete(key);
            traces.delete(job.id()); // the erase removes it too, once committed; an append may have stored it again
            return null;
        }
        traces.delete(job.id());
        return recorded;
    }
}
