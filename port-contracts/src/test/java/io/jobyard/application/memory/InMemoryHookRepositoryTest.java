package io.jobyard.application.memory;

import io.jobyard.application.contract.EventStores;
import io.jobyard.application.contract.HookRepositoryContract;

class InMemoryHookRepositoryTest extends HookRepositoryContract {
    @Override
    protected EventStores eventStores() {
        return InMemoryEventStores.create();
    }
}
