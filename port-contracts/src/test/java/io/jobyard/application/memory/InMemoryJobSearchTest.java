package io.jobyard.application.memory;

import io.jobyard.application.contract.JobSearchContract;
import io.jobyard.application.contract.Repositories;

class InMemoryJobSearchTest extends JobSearchContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }
}
