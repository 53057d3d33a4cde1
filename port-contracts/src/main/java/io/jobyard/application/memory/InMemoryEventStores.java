package io.jobyard.application.memory;

import io.jobyard.application.contract.EventStores;
import io.jobyard.application.contract.Repositories;

/** Fresh in-memory event stores beside fresh in-memory repositories, all on one transactor. */
public final class InMemoryEventStores {
    private InMemoryEventStores() {
    }

    public static EventStores create() {
        Repositories repos = InMemoryRepositories.create();
        InMemoryTransactor transactor = (InMemoryTransactor) repos.transactor();
        return new EventStores(repos, new InMemoryEventLog(transactor), new InMemoryHookRepository(transactor),
                new InMemoryApplicationSettingsRepository());
    }
}
