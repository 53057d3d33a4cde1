package io.jobyard.application.port.out;

import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactId;

import java.util.List;
import java.util.Optional;

/**
 * The index of an archive artifact's entries, written once at upload. A single-file download then costs one indexed
 * lookup here and one ranged read of the archive.
 */
public interface ArchiveIndexRepository {

    void saveEntries(ArtifactId archive, List<ArchiveEntry> entries);

    Optional<ArchiveEntry> findEntry(ArtifactId archive, String path);

    /** Entries ordered by path, for browsing an archive. */
    List<ArchiveEntry> listEntries(ArtifactId archive, String afterPath, int limit);

    void deleteEntries(ArtifactId archive);
}
