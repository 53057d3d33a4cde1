package io.jobyard.application.memory;

import io.jobyard.application.port.out.Transactor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Transactions over the in-memory repositories that share this transactor: serializable (one global lock, which every
 * repository operation also takes, so nothing sees a transaction half-way) and all-or-nothing (each repository write
 * registers how to undo itself; when the work throws, the writes are undone newest first). Nested calls join the outer
 * transaction, as the port requires.
 *
 * <p>Id sequences ({@code nextId()}, {@code nextIid()}) are not rolled back, like database sequences.
 */
public final class InMemoryTransactor implements Transactor {
    private final ReentrantLock lock = new ReentrantLock();
    /** The undo actions of the running transaction; null outside one. Guarded by {@link #lock}. */
    private Deque<Runnable> undoLog;
    private int depth;
    /** Changed by every {@link #accessWrite} (never undone: a change too many only costs a cache miss). */
    private long accessVersion;

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        lock.lock();
        try {
            if (depth > 0) {
                depth++;
                try {
                    return work.get();
                } finally {
                    depth--;
                }
            }
            depth = 1;
            undoLog = new ArrayDeque<>();
            boolean committed = false;
            try {
                T result = work.get();
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    for (Runnable undo = undoLog.pollLast(); undo != null; undo = undoLog.pollLast()) {
                        undo.run();
                    }
                }
                undoLog = null;
                depth = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs one repository operation under the global lock. */
    <T> T locked(Supplier<T> operation) {
        lock.lock();
        try {
            return operation.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #locked} for a write to users, tokens, memberships or projects: it changes the access version (see
     * {@link InMemoryAccessVersions}) under the same lock, so nobody reads the new version with the old rows.
     */
    <T> T accessWrite(Supplier<T> operation) {
        return locked(() -> {
            accessVersion++;
            return operation.get();
        });
    }

    /** The access version; read under the lock. */
    long accessVersion() {
        return locked(() -> accessVersion);
    }

    void locked(Runnable operation) {
        locked(() -> {
            operation.run();
            return null;
        });
    }

    /** Registers how to undo a write just made; ignored outside a transaction. Call while holding the lock. */
    void onRollback(Runnable undo) {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("repository writes must hold the transactor's lock");
        }
        if (undoLog != null) {
            undoLog.addLast(undo);
        }
    }
}
