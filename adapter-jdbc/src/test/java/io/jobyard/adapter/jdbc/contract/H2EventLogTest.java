package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.EventLogContract;
import io.jobyard.application.contract.EventStores;

class H2EventLogTest extends EventLogContract {
    @Override
    protected EventStores eventStores() {
        return JdbcTestStores.h2EventStores();
    }
}
