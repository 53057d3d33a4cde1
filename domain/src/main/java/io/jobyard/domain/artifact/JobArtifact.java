package io.jobyard.domain.artifact;

import io.jobyard.domain.text.TextLimit;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored file of a job (GitLab's Ci::JobArtifact): the archive, its metadata, the archived log, or a report.
 *
 * @param sha256     hex digest of the stored bytes, recorded at upload
 * @param expireAt   when it expires, or null for never
 * @param locked     copied from the pipeline at creation: locked artifacts survive expiry
 * @param storageKey where the artifact store keeps the bytes
 */
public record JobArtifact(
        ArtifactId id,
        JobId jobId,
        ProjectId projectId,
        ArtifactFileType fileType,
        ArtifactFormat fileFormat,
        String filename,
        long size,
        String sha256,
        Instant expireAt,
        boolean locked,
        ArtifactAccessibility accessibility,
        String storageKey,
        Instant createdAt) {

    public JobArtifact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(fileType, "fileType");
        Objects.requireNonNull(fileFormat, "fileFormat");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(accessibility, "accessibility");
        Objects.requireNonNull(storageKey, "storageKey");
        Objects.requireNonNull(createdAt, "createdAt");
        TextLimit.ARTIFACT_FILENAME.require(filename);
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        if (!fileType.accepts(fileFormat)) {
            throw new IllegalArgumentException("Invalid file format with specified file type");
        }
    }

    /** GitLab's {@code expired?}: the expiry time is in the past ({@code expire_at.past?}). */
    public boolean expired(Instant now) {
        return expireAt != null && expireAt.isBefore(now);
    }

    public JobArtifact withoutExpiry() {
        return new JobArtifact(id, jobId, projectId, fileType, fileFormat, filename, size, sha256, null, locked,
                accessibility, storageKey, createdAt);
    }
}
