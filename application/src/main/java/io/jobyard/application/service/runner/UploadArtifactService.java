package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.runner.UploadArtifactUseCase;
import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.StagedBlob;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.application.service.artifact.StorageKeys;
import io.jobyard.application.service.artifact.ZipArchiveIndexer;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.ExpireIn;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A runner's artifact upload, all or nothing: the bytes are staged (size and SHA-256 computed while streaming), an
 * archive is indexed and checked through ranged reads of the staged copy, the blob is published under a key nobody
 * else uses, and then one transaction records the artifact, its index and the job's new expiry. Any failure before
 * the commit discards the staged bytes or deletes the published blob, so nothing half-made is ever visible.
 */
public final class UploadArtifactService implements UploadArtifactUseCase {
    static final String DUPLICATE = "another artifact of the same type already exists";
    static final String TOO_LARGE = "file size has reached maximum size limit";

    private final JobTokenAuthenticator authenticator;
    private final JobRepository jobs;
    private final ArtifactRepository artifacts;
    private final ArchiveIndexRepository index;
    private final ArtifactStore store;
    private final OptimisticRetry retry;
    private final Clock clock;
    private final ArtifactLimits limits;
    private final Duration defaultExpireIn;
    private final ZipArchiveIndexer indexer;

    /**
     * @param defaultExpireIn the instance's {@code default_artifacts_expire_in}; null means artifacts without
     *                        {@code expire_in} never expire
     */
    public UploadArtifactService(JobTokenAuthenticator authenticator, JobRepository jobs,
                                 ArtifactRepository artifacts, ArchiveIndexRepository index, ArtifactStore store,
                                 Transactor transactor, Clock clock, ArtifactLimits limits,
                                 Duration defaultExpireIn) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.index = Objects.requireNonNull(index, "index");
        this.store = Objects.requireNonNull(store, "store");
        this.retry = new OptimisticRetry(Objects.requireNonNull(transactor, "transactor"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.defaultExpireIn = defaultExpireIn;
        this.indexer = new ZipArchiveIndexer(limits);
    }


    @Override
    public void authorize(JobId job, String jobToken, long declaredSize) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(jobToken, "jobToken");
        authenticator.authenticate(job, jobToken, JobTokenAuthenticator.OnExpiry.KEEP_JOB);
        if (declaredSize > limits.maxArtifactSize()) {
            throw new PayloadTooLargeException(TOO_LARGE);
        }
    }

    @Override
    public JobArtifact upload(UploadArtifactCommand command) {
        Job job = authenticator.authenticate(command.job(), command.jobToken(),
                JobTokenAuthenticator.OnExpiry.KEEP_JOB);
        ArtifactFileType type = command.type() == null ? ArtifactFileType.ARCHIVE : command.type();
        ArtifactFormat format = command.format() == null ? ArtifactFormat.ZIP : command.format();
        if (!type.accepts(format)) {
            throw new BadRequestException("Invalid file format with specified file type");
        }
        if (command.declaredSize() > limits.maxArtifactSize()) {
            throw new PayloadTooLargeException(TOO_LARGE);
        }
        Instant now = clock.instant();
        Instant expireAt = expiry(command.expireIn(), now);
        ArtifactAccessibility accessibility =
                command.accessibility() == null ? ArtifactAccessibility.PUBLIC : command.accessibility();
        String filename = safeFilename(command.filename(), type);

        StagedBlob staged;
        try {
            staged = store.stage(command.content(), limits.maxArtifactSize());
        } catch (PayloadTooLargeException e) {
            throw new PayloadTooLargeException(TOO_LARGE);
        }
        String publishedKey = null;
        boolean recorded = false;
        try {
            Optional<JobArtifact> existing = artifacts.findByJobAndType(job.id(), type);
            if (existing.isPresent()) {
                return sameOrRefuse(existing.get(), staged);
            }
            List<ArchiveEntry> entries = type == ArtifactFileType.ARCHIVE
                    ? indexer.index(staged.size(), range -> store.readStaged(staged, range))
                    : List.of();
            ArtifactId id = artifacts.nextId();
            String key = StorageKeys.forArtifact(job.projectId(), job.id(), id, type);
            store.publish(staged, key);
            publishedKey = key;
            JobArtifact artifact = new JobArtifact(id, job.id(), job.projectId(), type, format, filename,
                    staged.size(), staged.sha256(), expireAt, false, accessibility, key, now);
            try {
                JobArtifact stored = record(artifact, entries, command.jobToken(), now);
                recorded = true;
                return stored;
            } catch (ConflictException e) {
                // Another upload of the same type won the race; answer as if it had been there first.
                JobArtifact winner = artifacts.findByJobAndType(job.id(), type).orElseThrow(() -> e);
                return sameOrRefuse(winner, staged);
            }
        } finally {
            if (publishedKey != null && !recorded) {
                store.delete(publishedKey);
            }
            store.discard(staged);
        }
    }

    private JobArtifact record(JobArtifact artifact, List<ArchiveEntry> entries, String jobToken, Instant now) {
        return retry.run(() -> {
            // The job may have ended (and been erased) while the bytes streamed in. Checked again here, with the job
            // written below, a cancel or finish and this record serialize: an artifact never lands on a job that
            // ended before it, so an erase, which needs an ended job, always sees every artifact it must remove.
            Job current = authenticator.authenticate(artifact.jobId(), jobToken,
                    JobTokenAuthenticator.OnExpiry.KEEP_JOB);
            JobArtifact stored = artifacts.insert(artifact);
            if (!entries.isEmpty()) {
                index.saveEntries(stored.id(), entries);
            }
            // GitLab keeps the archive's expiry on the job too: artifacts_expire_at in the Job entity.
            jobs.update(artifact.fileType() == ArtifactFileType.ARCHIVE
                    ? current.withArtifactsExpireAt(artifact.expireAt(), now) : current);
            return stored;
        });
    }

    /** GitLab accepts re-uploading the very same file (runner retries) and refuses a different one. */
    private static JobArtifact sameOrRefuse(JobArtifact existing, StagedBlob upload) {
        if (existing.sha256() != null && existing.sha256().equals(upload.sha256())) {
            return existing;
        }
        throw new BadRequestException(DUPLICATE);
    }

    private Instant expiry(String expireIn, Instant now) {
        try {
            return ExpireIn.expiryFor(expireIn, defaultExpireIn, now).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("expire_in is invalid");
        }
    }

    /** The name Content-Disposition will carry: the last path segment, without control characters. */
    static String safeFilename(String requested, ArtifactFileType type) {
        if (requested == null) {
            return type.defaultFilename();
        }
        String name = requested.substring(Math.max(requested.lastIndexOf('/'), requested.lastIndexOf('\\')) + 1);
        StringBuilder clean = new StringBuilder();
        name.codePoints().filter(c -> !Character.isISOControl(c)).limit(255).forEach(clean::appendCodePoint);
        String result = clean.toString().strip();
        return result.isEmpty() || result.equals(".") || result.equals("..") ? type.defaultFilename() : result;
    }
}
