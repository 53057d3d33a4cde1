package io.jobyard.application.memory;

import io.jobyard.application.contract.TraceStoreContract;
import io.jobyard.application.port.out.TraceStore;

/** The contract again with tiny chunks, so every append and read crosses many chunk boundaries. */
class InMemorySmallChunkTraceStoreTest extends TraceStoreContract {
    private static final int CHUNK = 1000;

    @Override
    protected TraceStore newStore() {
        return new InMemoryTraceStore(CHUNK);
    }

    @Override
    protected int chunkSize() {
        return CHUNK;
    }
}
