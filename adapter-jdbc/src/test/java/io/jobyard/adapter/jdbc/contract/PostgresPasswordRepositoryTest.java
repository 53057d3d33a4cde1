package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.PasswordRepositoryContract;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.port.out.PasswordRepository;

class PostgresPasswordRepositoryTest extends PasswordRepositoryContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.postgres();
    }

    @Override
    protected PasswordRepository passwords() {
        return JdbcTestStores.postgresPasswords();
    }
}
