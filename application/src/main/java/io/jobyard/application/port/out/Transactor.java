package io.jobyard.application.port.out;

import java.util.function.Supplier;

/**
 * Runs work in one transaction: everything the work did through repositories commits together or not at all.
 * Nested calls join the outer transaction.
 */
public interface Transactor {
    <T> T inTransaction(Supplier<T> work);

    /**
     * Runs read-only work whose repository calls share one database connection instead of taking one each: a read
     * use case makes about ten calls, and a pooled connection with its set-up per call was a large part of its cost.
     * Not a transaction (reads may see commits made between them); a transaction started inside runs as usual. The
     * connection is held for the whole work, so calls to other systems (object storage) belong outside it. The
     * default runs the work as is, for stores without connections.
     */
    default <T> T reading(Supplier<T> work) {
        return work.get();
    }

    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
