package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.ArchiveIndexRepositoryContract;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.port.out.ArchiveIndexRepository;

class PostgresArchiveIndexRepositoryTest extends ArchiveIndexRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.postgres();
    }

    @Override
    protected ArchiveIndexRepository archiveIndex(Repositories repos) {
        return JdbcTestStores.postgresArchiveIndex();
    }
}
