package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.ArtifactRepositoryContract;
import io.jobyard.application.contract.Repositories;

class PostgresArtifactRepositoryTest extends ArtifactRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.postgres();
    }
}
