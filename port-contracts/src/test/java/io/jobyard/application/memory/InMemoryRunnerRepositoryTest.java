package io.jobyard.application.memory;

import io.jobyard.application.contract.RunnerRepositoryContract;
import io.jobyard.application.contract.Repositories;

class InMemoryRunnerRepositoryTest extends RunnerRepositoryContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }
}
