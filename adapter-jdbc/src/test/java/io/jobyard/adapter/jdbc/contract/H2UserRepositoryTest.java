package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.UserRepositoryContract;
import io.jobyard.application.contract.Repositories;

class H2UserRepositoryTest extends UserRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.h2();
    }
}
