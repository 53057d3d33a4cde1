package io.jobyard.adapter.storage.fs;

import io.jobyard.application.contract.TraceStoreContract;
import io.jobyard.application.port.out.TraceStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The trace store contract on the filesystem; a restart is a new instance over the same directory. */
class FilesystemTraceStoreTest extends TraceStoreContract {
    @TempDir
    Path directory;

    @Override
    protected TraceStore newStore() {
        return new FilesystemTraceStore(directory);
    }

    @Override
    protected TraceStore restart(TraceStore store) {
        return new FilesystemTraceStore(directory);
    }

    @Override
    protected int chunkSize() {
        return FilesystemTraceStore.CHUNK_SIZE;
    }
}
