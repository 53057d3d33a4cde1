package io.jobyard.application.memory;

import io.jobyard.application.contract.Repositories;

/** A fresh, empty set of in-memory repositories sharing one {@link InMemoryTransactor}. */
public final class InMemoryRepositories {
    private InMemoryRepositories() {
    }

    public static Repositories create() {
        InMemoryTransactor transactor = new InMemoryTransactor();
        InMemoryPipelineRepository pipelines = new InMemoryPipelineRepository(transactor);
        InMemoryArtifactRepository artifacts = new InMemoryArtifactRepository(transactor);
        return new Repositories(
                new InMemoryProjectRepository(transactor),
                new InMemoryUserRepository(transactor),
                pipelines,
                new InMemoryJobRepository(transactor, pipelines, artifacts),
                artifacts,
                new InMemoryRunnerRepository(transactor),
                transactor);
    }
}
