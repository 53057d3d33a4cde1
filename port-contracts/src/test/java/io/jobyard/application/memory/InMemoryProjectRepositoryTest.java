package io.jobyard.application.memory;

import io.jobyard.application.contract.ProjectRepositoryContract;
import io.jobyard.application.contract.Repositories;

class InMemoryProjectRepositoryTest extends ProjectRepositoryContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }
}
