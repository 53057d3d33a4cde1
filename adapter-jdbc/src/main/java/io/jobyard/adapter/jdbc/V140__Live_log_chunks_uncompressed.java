package io.jobyard.adapter.jdbc;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * On PostgreSQL, live log chunks are stored out of line without compression ({@code STORAGE EXTERNAL}). By default
 * PostgreSQL compresses every 128 KiB chunk with pglz as it is written — and each append rewrites its chunk — which
 * the runners' fleet bench measured at 8 ms of execution per chunk insert, the largest share of the database's time per
 * job after the event counter's lock. The chunks live only until their job's log is archived (into the artifact store,
 * where it is kept), so saving their disk space is not worth that. H2 stores them as they are anyway: nothing to do
 * there, hence a Java migration (the scripts run the same on both databases).
 */
final class V140__Live_log_chunks_uncompressed extends BaseJavaMigration {
    /** Flyway records a checksum for Java migrations only when they give one; {@link BundledMigrations} checks it. */
    static final int CHECKSUM = 140_000_001;

    @Override
    public Integer getChecksum() {
        return CHECKSUM;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        if (Dialect.of(context.getConnection()) != Dialect.POSTGRESQL) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            // Applies to values written from now on; the few live chunks of running jobs keep their form until rewritten.
            statement.execute("ALTER TABLE trace_chunks ALTER COLUMN data SET STORAGE EXTERNAL");
        }
    }
}
