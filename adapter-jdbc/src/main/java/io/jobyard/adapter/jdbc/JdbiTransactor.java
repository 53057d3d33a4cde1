package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.Transactor;

import java.util.function.Supplier;

/**
 * One database transaction per outermost call; repositories used inside it, on the same thread, run on its handle.
 * Nested calls join the outer transaction, so the outermost call decides commit or rollback.
 */
public final class JdbiTransactor implements Transactor {
    private final Database database;

    JdbiTransactor(Database database) {
        this.database = database;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return database.inTransaction(handle -> work.get());
    }

    @Override
    public <T> T reading(Supplier<T> work) {
        return database.inSession(work);
    }
}
