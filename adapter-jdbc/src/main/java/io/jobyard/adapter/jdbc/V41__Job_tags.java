package io.jobyard.adapter.jdbc;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Fills {@code job_tags} (V40) with the tags of the jobs stored before it existed. The tags are in {@code jobs.tags} in
 * the adapter's own text encoding, which only Java reads on both databases, hence a Java migration. It walks the jobs
 * by id in batches, so its memory does not grow with the table.
 */
final class V41__Job_tags extends BaseJavaMigration {
    /** Flyway records a checksum for Java migrations only when they give one; {@link BundledMigrations} checks it. */
    static final int CHECKSUM = 41_000_001;
    static final int MAX_TAG_LENGTH = 1024;
    private static final int BATCH = 1_000;

    @Override
    public Integer getChecksum() {
        return CHECKSUM;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (PreparedStatement read = connection.prepareStatement(
                "SELECT id, project_id, tags FROM jobs WHERE id > ? ORDER BY id LIMIT " + BATCH);
             PreparedStatement write = connection.prepareStatement(
                     "INSERT INTO job_tags (job_id, project_id, tag) VALUES (?, ?, ?)")) {
            long after = 0;
            while (true) {
                read.setLong(1, after);
                int rows = 0;
                try (ResultSet jobs = read.executeQuery()) {
                    while (jobs.next()) {
                        rows++;
                        after = jobs.getLong(1);
                        for (String tag : indexed(ColumnCodecs.strings(jobs.getString(3)))) {
                            write.setLong(1, after);
                            write.setLong(2, jobs.getLong(2));
                            write.setString(3, tag);
                            write.addBatch();
                        }
                    }
                }
                write.executeBatch();
                if (rows < BATCH) {
                    return;
                }
            }
        }
    }

    /** The tags {@code job_tags} holds for a job: each once, none longer than {@link #MAX_TAG_LENGTH}. */
    static Set<String> indexed(Iterable<String> tags) {
        Set<String> kept = new LinkedHashSet<>();
        if (tags != null) {
            for (String tag : tags) {
                if (tag.length() <= MAX_TAG_LENGTH) {
                    kept.add(tag);
                }
            }
        }
        return kept;
    }
}
