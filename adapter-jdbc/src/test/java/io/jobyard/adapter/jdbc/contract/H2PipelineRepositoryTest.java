package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.PipelineRepositoryContract;
import io.jobyard.application.contract.Repositories;

class H2PipelineRepositoryTest extends PipelineRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.h2();
    }
}
