package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.TraceStoreContract;
import io.jobyard.application.port.out.TraceStore;

class H2TraceStoreTest extends TraceStoreContract {
    @Override
    protected TraceStore newStore() {
        return JdbcTestStores.h2Traces();
    }

    @Override
    protected TraceStore restart(TraceStore store) {
        return JdbcTestStores.h2TracesAfterRestart();
    }
}
