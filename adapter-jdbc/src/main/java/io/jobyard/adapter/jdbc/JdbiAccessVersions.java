package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.AccessVersions;
import org.jdbi.v3.core.Handle;

import java.util.Objects;

/**
 * The {@code access_version} row (V110). The repositories that write users, tokens, memberships and projects call
 * {@link #bump} on the handle of that write, before it: the bump and the write commit together, and every such
 * transaction takes the row's lock first, so two of them never wait on each other in opposite orders.
 */
final class JdbiAccessVersions implements AccessVersions {
    private static final String READ = "SELECT version FROM access_version WHERE id = 1";
    private static final String BUMP = "UPDATE access_version SET version = version + 1 WHERE id = 1";

    private final Database database;

    JdbiAccessVersions(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public long current() {
        return database.withHandle(handle -> handle.createQuery(READ).mapTo(Long.class).one());
    }

    /** Changes the version within {@code handle}'s transaction (the caller's write must run in the same one). */
    static void bump(Handle handle) {
        handle.createUpdate(BUMP).execute();
    }
}
