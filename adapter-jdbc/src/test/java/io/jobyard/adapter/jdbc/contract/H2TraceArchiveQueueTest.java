package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TraceArchiveQueueContract;
import io.jobyard.application.port.out.TraceArchiveQueue;

class H2TraceArchiveQueueTest extends TraceArchiveQueueContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.h2();
    }

    @Override
    protected TraceArchiveQueue queue() {
        return JdbcTestStores.h2TraceArchiveQueue();
    }
}
