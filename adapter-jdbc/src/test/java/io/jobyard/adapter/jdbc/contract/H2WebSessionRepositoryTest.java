package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.WebSessionRepositoryContract;
import io.jobyard.application.port.out.WebSessionRepository;

class H2WebSessionRepositoryTest extends WebSessionRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.h2();
    }

    @Override
    protected WebSessionRepository sessions() {
        return JdbcTestStores.h2WebSessions();
    }
}
