package io.jobyard.application.port.out;

import java.util.function.Supplier;

/**
 * Runs work in one transaction: everything the work did through repositories commits together or not at all.
 * Nested calls join the outer transaction.
 */
public interface Transactor {
    <T> T inTransaction(Supplier<T> work);

    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
