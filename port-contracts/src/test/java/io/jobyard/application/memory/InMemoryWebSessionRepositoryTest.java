package io.jobyard.application.memory;

import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.WebSessionRepositoryContract;
import io.jobyard.application.port.out.WebSessionRepository;

class InMemoryWebSessionRepositoryTest extends WebSessionRepositoryContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }

    @Override
    protected WebSessionRepository sessions() {
        return new InMemoryWebSessionRepository((InMemoryTransactor) repos.transactor());
    }
}
