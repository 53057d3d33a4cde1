package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TransactorContract;

class PostgresTransactorTest extends TransactorContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.postgres();
    }
}
