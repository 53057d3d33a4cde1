package io.jobyard.application.memory;

import io.jobyard.application.port.out.AccessVersions;

import java.util.Objects;

/**
 * The access version of the in-memory repositories that share {@code transactor}: their writes to users, tokens,
 * memberships and projects change it under the transactor's lock, as the database's repositories bump their row in
 * the write's transaction.
 */
public final class InMemoryAccessVersions implements AccessVersions {
    private final InMemoryTransactor transactor;

    public InMemoryAccessVersions(InMemoryTransactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
    }

    @Override
    public long current() {
        return transactor.accessVersion();
    }
}
