package io.jobyard.domain.artifact;

import io.jobyard.domain.job.Job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A job's artifacts with the facts that decide what is visible and downloadable (contract §2.3).
 *
 * @param pipelineLocked the job's pipeline is the latest successful one of its ref (its artifacts are kept)
 */
public record JobArtifacts(Job job, List<JobArtifact> all, boolean pipelineLocked) {
    public JobArtifacts {
        all = List.copyOf(all);
    }

    public Optional<JobArtifact> archive() {
        return ofType(ArtifactFileType.ARCHIVE);
    }

    public Optional<JobArtifact> trace() {
        return ofType(ArtifactFileType.TRACE);
    }

    public Optional<JobArtifact> ofType(ArtifactFileType type) {
        return all.stream().filter(a -> a.fileType() == type).findFirst();
    }

    /** {@code artifacts?}: an archive exists and has not expired. Decides the presence of {@code artifacts_file}. */
    public boolean present(Instant now) {
        return archive().isPresent() && !job.artifactsExpired(now);
    }

    /** {@code available_artifacts?}: (not expired or locked) and an archive exists. */
    public boolean available(Instant now) {
        return archive().isPresent() && (!job.artifactsExpired(now) || pipelineLocked);
    }

    /** {@code locked_artifacts?}. */
    public boolean locked() {
        return pipelineLocked && archive().isPresent();
    }

    /** Whether erase has anything to remove (artifacts of any type, the log included). */
    public boolean anything() {
        return !all.isEmpty();
    }

    /** The accessibility that governs downloads: the archive's, public when there is none. */
    public ArtifactAccessibility accessibility() {
        return archive().map(JobArtifact::accessibility).orElse(ArtifactAccessibility.PUBLIC);
    }
}
