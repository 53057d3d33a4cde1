package io.jobyard.examples.encryption;

import io.jobyard.adapter.storage.fs.FilesystemArtifactStore;
import io.jobyard.application.contract.ArtifactStoreContract;
import io.jobyard.application.port.out.ArtifactStore;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.SecretKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Jobyard's ArtifactStore contract, passed by the encrypting store around the filesystem store. */
class EncryptingFilesystemArtifactStoreTest extends ArtifactStoreContract {
    private final SecretKey key = Keys.random();

    @TempDir
    Path dataDirectory;

    @Override
    protected ArtifactStore newStore() {
        return new EncryptingArtifactStore(new FilesystemArtifactStore(dataDirectory), key);
    }

    @Override
    protected ArtifactStore restart(ArtifactStore store) {
        return newStore();
    }

    /** What a crash mid-upload leaves: the filesystem store's partial staging file (of ciphertext). */
    @Override
    protected void simulateCrashMidStage(ArtifactStore store, byte[] writtenSoFar) {
        try {
            Files.write(dataDirectory.resolve("staging").resolve(UUID.randomUUID() + ".part"), writtenSoFar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
