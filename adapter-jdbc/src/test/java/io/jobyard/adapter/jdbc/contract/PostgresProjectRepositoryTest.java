package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.ProjectRepositoryContract;
import io.jobyard.application.contract.Repositories;

class PostgresProjectRepositoryTest extends ProjectRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.postgres();
    }
}
