package io.jobyard.application.memory;

import io.jobyard.application.contract.UserRepositoryContract;
import io.jobyard.application.contract.Repositories;

class InMemoryUserRepositoryTest extends UserRepositoryContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }
}
