package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.PipelineRepositoryContract;
import io.jobyard.application.contract.Repositories;

class PostgresPipelineRepositoryTest extends PipelineRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.postgres();
    }
}
