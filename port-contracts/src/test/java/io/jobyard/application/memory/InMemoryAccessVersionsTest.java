package io.jobyard.application.memory;

import io.jobyard.application.contract.AccessVersionsContract;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.port.out.AccessVersions;

class InMemoryAccessVersionsTest extends AccessVersionsContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }

    @Override
    protected AccessVersions versions() {
        return new InMemoryAccessVersions((InMemoryTransactor) repos.transactor());
    }
}
