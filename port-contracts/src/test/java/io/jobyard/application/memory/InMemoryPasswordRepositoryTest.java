package io.jobyard.application.memory;

import io.jobyard.application.contract.PasswordRepositoryContract;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.port.out.PasswordRepository;

class InMemoryPasswordRepositoryTest extends PasswordRepositoryContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }

    @Override
    protected PasswordRepository passwords() {
        return new InMemoryPasswordRepository((InMemoryTransactor) repos.transactor());
    }
}
