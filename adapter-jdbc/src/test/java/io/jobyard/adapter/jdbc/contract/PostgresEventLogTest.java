package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.EventLogContract;
import io.jobyard.application.contract.EventStores;

class PostgresEventLogTest extends EventLogContract {
    @Override
    protected EventStores eventStores() {
        return JdbcTestStores.postgresEventStores();
    }
}
