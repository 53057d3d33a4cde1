package io.jobyard.adapter.jdbc;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where repositories get their {@link Handle}: the transaction's handle when the calling thread is inside
 * {@link #inTransaction}, else a pooled one for the single call. Every call passes through {@link SqlErrors}, so
 * nothing above this class sees a JDBI or JDBC exception type.
 */
final class Database {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final ThreadLocal<Handle> transactionHandle = new ThreadLocal<>();
    /** The handle of the thread's {@link #inSession} (auto-commit), shared by the calls inside it. */
    private final ThreadLocal<Handle> sessionHandle = new ThreadLocal<>();

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

    /**
     * Runs {@code work} on the current transaction's handle, else on the current session's, else on a handle of its
     * own (auto-commit).
     */
    <T> T withHandle(Function<Handle, T> work) {
        Handle bound = transactionHandle.get();
        if (bound == null) {
            bound = sessionHandle.get();
        }
        if (bound != null) {
            Handle handle = bound;
            return translated(() -> work.apply(handle));
        }
        return translated(() -> jdbi.withHandle(work::apply));
    }

    /**
     * Runs {@code work} with one handle (auto-commit) bound to the thread, which every {@link #withHandle} inside
     * uses; a transaction inside runs on it too. Nested sessions, or a session inside a transaction, join.
     */
    <T> T inSession(Supplier<T> work) {
        if (transactionHandle.get() != null || sessionHandle.get() != null) {
            return work.get();
        }
        return translated(() -> jdbi.withHandle(handle -> {
            sessionHandle.set(handle);
            try {
                return work.get();
            } finally {
                sessionHandle.remove();
            }
        }));
    }

    /** Runs {@code work} in a transaction; when the thread is already in one, {@code work} joins it. */
    <T> T inTransaction(Function<Handle, T> work) {
        Handle bound = transactionHandle.get();
        if (bound != null) {
            return translated(() -> work.apply(bound));
        }
        Handle session = sessionHandle.get();
        return translated(() -> session != null
                ? session.inTransaction(handle -> asTransaction(handle, work))
                : jdbi.inTransaction(handle -> asTransaction(handle, work)));
    }

    private <T> T asTransaction(Handle handle, Function<Handle, T> work) {
        transactionHandle.set(handle);
        try {
            return work.apply(handle);
        } finally {
            transactionHandle.remove();
        }
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
