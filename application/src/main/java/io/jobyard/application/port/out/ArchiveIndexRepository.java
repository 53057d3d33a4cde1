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

    /**
     * Entries whose path lies between {@code from} (inclusive or not) and {@code to} (exclusive), ordered by path
     * ({@link ArchiveEntry#PATH_ORDER}), at most {@code limit}: the entries under a directory, from a position. A null
     * bound is open.
     */
    List<ArchiveEntry> listRange(ArtifactId archive, String from, boolean fromInclusive, String to, int limit);

    void deleteEntries(ArtifactId archive);
}
