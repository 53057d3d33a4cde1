package io.jobyard.adapter.storage.fs;

import io.jobyard.application.contract.ArtifactStoreContract;
import io.jobyard.application.port.out.ArtifactStore;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** The artifact store contract on the filesystem; a restart is a new instance over the same data directory. */
class FilesystemArtifactStoreTest extends ArtifactStoreContract {
    @TempDir
    Path dataDirectory;

    @Override
    protected ArtifactStore newStore() {
        return new FilesystemArtifactStore(dataDirectory);
    }

    @Override
    protected ArtifactStore restart(ArtifactStore store) {
        return new FilesystemArtifactStore(dataDirectory);
    }

    /** A process killed mid-upload leaves its partial staging file, exactly as {@link StagingArea} names it. */
    @Override
    protected void simulateCrashMidStage(ArtifactStore store, byte[] writtenSoFar) {
        try {
            Files.write(dataDirectory.resolve("staging").resolve(UUID.randomUUID() + ".part"), writtenSoFar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
