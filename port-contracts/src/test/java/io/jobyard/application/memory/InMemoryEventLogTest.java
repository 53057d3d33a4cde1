package io.jobyard.application.memory;

import io.jobyard.application.contract.EventLogContract;
import io.jobyard.application.contract.EventStores;

class InMemoryEventLogTest extends EventLogContract {
    @Override
    protected EventStores eventStores() {
        return InMemoryEventStores.create();
    }
}
