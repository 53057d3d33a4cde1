package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.JobSearchContract;
import io.jobyard.application.contract.Repositories;

class PostgresJobSearchTest extends JobSearchContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.postgres();
    }
}
