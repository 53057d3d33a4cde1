package io.jobyard.application.port.out;

import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.JobArtifact;

/**
 * Hears of stored artifact bytes that fail their integrity check while they are served, for operations (a metric, an
 * alert) rather than behaviour: the download has been aborted already. {@link #NONE} is the default.
 */
@FunctionalInterface
public interface ArtifactIntegrityListener {

    ArtifactIntegrityListener NONE = (archive, entry) -> { };

    /** An entry of {@code archive} did not match the size or CRC-32 its index records. */
    void corruptEntry(JobArtifact archive, ArchiveEntry entry);
}
