package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.WebSessionRepositoryContract;
import io.jobyard.application.port.out.WebSessionRepository;

class PostgresWebSessionRepositoryTest extends WebSessionRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.postgres();
    }

    @Override
    protected WebSessionRepository sessions() {
        return JdbcTestStores.postgresWebSessions();
    }
}
