package io.jobyard.application.memory;

import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TraceArchiveQueueContract;
import io.jobyard.application.port.out.TraceArchiveQueue;

class InMemoryTraceArchiveQueueTest extends TraceArchiveQueueContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }

    @Override
    protected TraceArchiveQueue queue() {
        return new InMemoryTraceArchiveQueue((InMemoryTransactor) repos.transactor());
    }
}
