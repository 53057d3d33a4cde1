package io.jobyard.adapter.jdbc;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.function.Function;

/**
 * Where repositories get their {@link Handle}: the transaction's handle when the calling thread is inside
 * {@link #inTransaction}, else a pooled one for the single call. Every call passes through {@link SqlErrors}, so
 * nothing above this class sees a JDBI or JDBC exception type.
 */
final class Database {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final ThreadLocal<Handle> transactionHandle = new ThreadLocal<>();

    Database(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    Dialect dialect() {
        return dialect;
    }

    /** Runs {@code work} on the current transaction's handle, or on a handle of its own (auto-commit). */
    <T> T withHandle(Function<Handle, T> work) {
        Handle bound = transactionHandle.get();
        if (bound != null) {
            return translated(() -> work.apply(bound));
        }
        return translated(() -> jdbi.withHandle(work::apply));
    }

    /** Runs {@code work} in a transaction; when the thread is already in one, {@code work} joins it. */
    <T> T inTransaction(Function<Handle, T> work) {
        Handle bound = transactionHandle.get();
        if (bound != null) {
            return translated(() -> work.apply(bound));
        }
        return translated(() -> jdbi.inTransaction(handle -> {
            transactionHandle.set(handle);
            try {
                return work.apply(handle);
            } finally {
                transactionHandle.remove();
            }
        }));
    }

    boolean insideTransaction() {
        return transactionHandle.get() != null;
    }

    long nextValue(String sequence) {
        return withHandle(handle -> handle.createQuery(dialect.nextValue(sequence)).mapTo(Long.class).one());
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private static <T> T translated(Work<T> work) {
        try {
            return work.run();
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        } catch (Exception e) {
            // JDBI's callbacks declare Exception; ours throw only unchecked ones.
            throw new IllegalStateException(e);
        }
    }
}
