package io.jobyard.application.memory;

import io.jobyard.application.contract.TraceStoreContract;
import io.jobyard.application.port.out.TraceStore;

class InMemoryTraceStoreTest extends TraceStoreContract {
    @Override
    protected TraceStore newStore() {
        return new InMemoryTraceStore();
    }
}
