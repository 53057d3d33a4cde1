package io.jobyard.application.memory;

import io.jobyard.application.contract.PipelineRepositoryContract;
import io.jobyard.application.contract.Repositories;

class InMemoryPipelineRepositoryTest extends PipelineRepositoryContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }
}
