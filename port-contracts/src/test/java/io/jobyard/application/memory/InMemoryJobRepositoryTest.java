package io.jobyard.application.memory;

import io.jobyard.application.contract.JobRepositoryContract;
import io.jobyard.application.contract.Repositories;

class InMemoryJobRepositoryTest extends JobRepositoryContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }
}
