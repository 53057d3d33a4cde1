package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.EventStores;
import io.jobyard.application.contract.HookRepositoryContract;

class PostgresHookRepositoryTest extends HookRepositoryContract {
    @Override
    protected EventStores eventStores() {
        return JdbcTestStores.postgresEventStores();
    }
}
