package io.jobyard.application.memory;

import io.jobyard.application.contract.ArtifactStoreContract;
import io.jobyard.application.port.out.ArtifactStore;

class InMemoryArtifactStoreTest extends ArtifactStoreContract {
    @Override
    protected ArtifactStore newStore() {
        return new InMemoryArtifactStore();
    }

    @Override
    protected void simulateCrashMidStage(ArtifactStore store, byte[] writtenSoFar) {
        ((InMemoryArtifactStore) store).leaveStagingLitter(writtenSoFar);
    }
}
