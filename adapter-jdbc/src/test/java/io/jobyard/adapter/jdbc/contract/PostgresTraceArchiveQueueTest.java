package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TraceArchiveQueueContract;
import io.jobyard.application.port.out.TraceArchiveQueue;

class PostgresTraceArchiveQueueTest extends TraceArchiveQueueContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.postgres();
    }

    @Override
    protected TraceArchiveQueue queue() {
        return JdbcTestStores.postgresTraceArchiveQueue();
    }
}
