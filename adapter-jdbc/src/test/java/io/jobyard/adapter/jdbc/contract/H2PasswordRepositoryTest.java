package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.PasswordRepositoryContract;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.port.out.PasswordRepository;

class H2PasswordRepositoryTest extends PasswordRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.h2();
    }

    @Override
    protected PasswordRepository passwords() {
        return JdbcTestStores.h2Passwords();
    }
}
