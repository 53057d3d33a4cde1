package io.jobyard.application.service;

import io.jobyard.application.port.out.Transactor;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.StaleObjectException;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs a use case in a transaction and, when it loses an optimistic-lock race, runs it again from a fresh read — a
 * bounded number of times, after which the conflict reaches the client as "409 Conflict: Resource lock".
 */
public final class OptimisticRetry {
    public static final int DEFAULT_ATTEMPTS = 5;

    private final Transactor transactor;
    private final int attempts;

    public OptimisticRetry(Transactor transactor, int attempts) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.attempts = attempts;
    }

    public OptimisticRetry(Transactor transactor) {
        this(transactor, DEFAULT_ATTEMPTS);
    }

    public <T> T run(Supplier<T> work) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            try {
                return transactor.inTransaction(work);
            } catch (StaleObjectException e) {
                Thread.onSpinWait();
            }
        }
        throw ConflictException.resourceLock();
    }
}
