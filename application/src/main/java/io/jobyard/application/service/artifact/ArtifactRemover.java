package io.jobyard.application.service.artifact;

import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Removes artifacts in the one safe order: the record (with its archive index) goes first, in a transaction, and only
 * then the bytes. A reader therefore never finds a record whose bytes were removed on purpose, and a crash between
 * the two steps leaves an unreferenced blob (litter), never a dangling record. Erase, delete and the sweeper share it.
 */
public final class ArtifactRemover {
    private final ArtifactRepository artifacts;
    private final ArchiveIndexRepository index;
    private final ArtifactStore store;
    private final Transactor transactor;

    public ArtifactRemover(ArtifactRepository artifacts, ArchiveIndexRepository index, ArtifactStore store,
                           Transactor transactor) {
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.index = Objects.requireNonNull(index, "index");
        this.store = Objects.requireNonNull(store, "store");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
    }

    /** @return whether this call removed it (false when it was already gone) */
    public boolean remove(JobArtifact artifact) {
        return removeIf(artifact, current -> true);
    }

    /**
     * Removes the artifact if, re-read inside the transaction, it still exists and still satisfies {@code condition}
     * — how concurrent sweepers and a concurrent "keep" stay out of each other's way: the record's deletion is the
     * claim, and exactly one remover wins it.
     *
     * @return whether this call removed it
     */
    public boolean removeIf(JobArtifact artifact, Predicate<JobArtifact> condition) {
        boolean removed = transactor.inTransaction(() -> {
            JobArtifact current = artifacts.findById(artifact.id()).orElse(null);
            if (current == null || !condition.test(current)) {
                return false;
            }
            // Index rows first: a database may keep them under a foreign key to the artifact record.
            if (current.fileType() == ArtifactFileType.ARCHIVE) {
                index.deleteEntries(current.id());
            }
            return artifacts.delete(current.id());
        });
        if (removed) {
            store.delete(artifact.storageKey());
        }
        return removed;
    }
}
