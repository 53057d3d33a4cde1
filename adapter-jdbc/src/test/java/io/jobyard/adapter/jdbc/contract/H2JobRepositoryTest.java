package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.JobRepositoryContract;
import io.jobyard.application.contract.Repositories;

class H2JobRepositoryTest extends JobRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.h2();
    }
}
