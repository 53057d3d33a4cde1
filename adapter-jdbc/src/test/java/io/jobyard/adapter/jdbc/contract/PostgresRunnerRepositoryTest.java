package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.RunnerRepositoryContract;
import io.jobyard.application.contract.Repositories;

class PostgresRunnerRepositoryTest extends RunnerRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.postgres();
    }
}
