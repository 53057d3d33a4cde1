package io.jobyard.application.memory;

import io.jobyard.application.contract.Repositories;

/** A fresh, empty set of in-memory repositories sharing one {@link InMemoryTransactor}. */
public final class InMemoryRepositories {
    private InMemoryRepositories() {
    }

    public static Repositories create() {
        InMemoryTransactor transactor = new InMemoryTransactor();
        return new Repositories(
                new InMemoryProjectRepository(transactor),
                new InMemoryUserRepository(transactor),
                new InMemoryPipelineRepository(transactor),
                new InMemoryJobRepository(transactor),
                new InMemoryArtifactRepository(transactor),
                new InMemoryRunnerRepository(transactor),
                transactor);
    }
}
