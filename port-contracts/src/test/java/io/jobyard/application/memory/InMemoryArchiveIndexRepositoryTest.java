package io.jobyard.application.memory;

import io.jobyard.application.contract.ArchiveIndexRepositoryContract;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.port.out.ArchiveIndexRepository;

class InMemoryArchiveIndexRepositoryTest extends ArchiveIndexRepositoryContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }

    @Override
    protected ArchiveIndexRepository archiveIndex(Repositories repos) {
        return new InMemoryArchiveIndexRepository((InMemoryTransactor) repos.transactor());
    }
}
