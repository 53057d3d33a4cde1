package io.jobyard.adapter.jdbc;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.HandleSupplier;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where repositories get their {@link Handle}, and the one place that translates database failures. Which handle a
 * call runs on is jdbi's business, not ours: {@link Jdbi#withHandle} hands out the handle already open on the calling
 * thread (its {@link org.jdbi.v3.core.HandleScope}) and opens one, bound to the thread until it returns, only when
 * there is none; {@link Handle#inTransaction} joins a transaction already running on its handle. So a repository call
 * inside {@link #inTransaction} runs in that transaction, one inside {@link #inSession} on that session's connection,
 * and nested transactions join the outermost one, which decides commit or rollback. Every call passes through
 * {@link SqlErrors}, so nothing above this class sees a JDBI or JDBC exception type.
 */
final class Database {
    private final Jdbi jdbi;
    private final Dialect dialect;

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

    /** Runs {@code work} on the thread's handle (a transaction's or a session's), else on one of its own (auto-commit). */
    <T> T withHandle(Function<Handle, T> work) {
        return translated(() -> jdbi.withHandle(work::apply));
    }

    /**
     * Runs {@code work} with one handle (auto-commit) bound to the thread, which every repository call inside uses; a
     * transaction inside runs on it too. Nested sessions, or a session inside a transaction, join.
     */
    <T> T inSession(Supplier<T> work) {
        return translated(() -> jdbi.withHandle(handle -> work.get()));
    }

    /** Runs {@code work} in a transaction; when the thread is already in one, {@code work} joins it. */
    <T> T inTransaction(Function<Handle, T> work) {
        return translated(() -> jdbi.inTransaction(work::apply));
    }

    /** Whether the calling thread runs inside a transaction, whose failed statement would abort it (PostgreSQL). */
    boolean insideTransaction() {
        HandleSupplier bound = jdbi.getHandleScope().get();
        return bound != null && bound.getHandle().isInTransaction();
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
