package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.error.ConflictException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the JDBC archive index adds to {@code ArchiveIndexRepositoryContract}: a duplicate path is a conflict that saves
 * nothing (the whole save is one transaction), and lookups compare paths exactly.
 */
abstract class ArchiveIndexBehaviour {
    private static final AtomicLong ARTIFACT_IDS = new AtomicLong(2_000_000);

    private ArchiveIndexRepository index;
    private ArtifactId archive;

    protected abstract JdbcPersistence store();

    @BeforeEach
    void openStore() {
        index = store().archiveIndex();
        archive = ArtifactId.of(ARTIFACT_IDS.incrementAndGet());
    }

    private static ArchiveEntry entry(String path, long offset) {
        return new ArchiveEntry(path, offset, ArchiveEntry.DEFLATED, 10 + offset, 20 + offset, 0xFFFF_FFFFL - offset);
    }

    @Test
    void lookupIsCaseSensitiveLikeTheZipItself() {
        ArchiveEntry file = entry("dir/report.txt", 100);
        index.saveEntries(archive, List.of(file));

        assertThat(index.findEntry(archive, "dir/report.txt")).contains(file);
        assertThat(index.findEntry(archive, "DIR/report.txt")).isEmpty();
    }

    @Test
    void aDuplicatePathSavesNothing() {
        assertThatThrownBy(() -> index.saveEntries(archive, List.of(entry("a", 1), entry("b", 2), entry("a", 3))))
                .isInstanceOf(ConflictException.class);
        assertThat(index.listEntries(archive, null, 10)).isEmpty();
    }
}
