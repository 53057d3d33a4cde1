package io.jobyard.application.memory;

import io.jobyard.application.contract.ArtifactRepositoryContract;
import io.jobyard.application.contract.Repositories;

class InMemoryArtifactRepositoryTest extends ArtifactRepositoryContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }
}
