package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactId;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.List;
import java.util.Optional;

/**
 * The entries of archive artifacts in {@code archive_entries}, keyed by (artifact, path). Paths compare by code point
 * on both databases, so keyset listings ({@code afterPath}) page identically.
 */
public final class JdbiArchiveIndexRepository implements ArchiveIndexRepository {
    /** Rows per batch when an archive with many entries is indexed. */
    private static final int BATCH = 1_000;
    private static final String COLUMNS =
            "path, data_offset, compression_method, compressed_size, uncompressed_size, crc32, mode, modified_at";

    private static final RowMapper<ArchiveEntry> MAPPER = ResultColumns.mapper(rs -> new ArchiveEntry(
            rs.string("path"),
            rs.longValue("data_offset"),
            rs.intValue("compression_method"),
            rs.longValue("compressed_size"),
            rs.longValue("uncompressed_size"),
            rs.longValue("crc32"),
            rs.nullableInt("mode"),
            rs.instant("modified_at")));

    private final Database database;

    JdbiArchiveIndexRepository(Database database) {
        this.database = database;
    }

    /** All entries or none: one transaction, batched inserts. */
    @Override
    public void saveEntries(ArtifactId archive, List<ArchiveEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        database.inTransaction(handle -> {
            for (int from = 0; from < entries.size(); from += BATCH) {
                PreparedBatch batch = handle.prepareBatch("INSERT INTO archive_entries (artifact_id, " + COLUMNS
                        + ") VALUES (:artifact, :path, :data_offset, :method, :compressed, :uncompressed, :crc, :mode,"
                        + " :modified_at)");
                for (ArchiveEntry entry : entries.subList(from, Math.min(entries.size(), from + BATCH))) {
                    batch.bind("artifact", archive.value())
                            .bind("path", entry.path())
                            .bind("data_offset", entry.dataOffset())
                            .bind("method", entry.method())
                            .bind("compressed", entry.compressedSize())
                            .bind("uncompressed", entry.uncompressedSize())
                            .bind("crc", entry.crc32())
                            .bind("mode", entry.mode())
                            .bind("modified_at", Values.instant(entry.modifiedAt()))
                            .add();
                }
                batch.execute();
            }
            return null;
        });
    }

    @Override
    public Optional<ArchiveEntry> findEntry(ArtifactId archive, String path) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM archive_entries WHERE artifact_id = :artifact AND path = :path")
                .bind("artifact", archive.value()).bind("path", path).map(MAPPER).findOne());
    }

    @Override
    public List<ArchiveEntry> listEntries(ArtifactId archive, String afterPath, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM archive_entries WHERE artifact_id = :artifact"
                + (afterPath == null ? "" : " AND path > :after") + " ORDER BY artifact_id, path" + Paging.limit(limit);
        return database.withHandle(handle -> handle.createQuery(sql)
                .bind("artifact", archive.value()).bind("after", afterPath).map(MAPPER).list());
    }

    /** One range of the primary key (artifact_id, path): the rows are read in order and the walk stops at the limit. */
    @Override
    public List<ArchiveEntry> listRange(ArtifactId archive, String from, boolean fromInclusive, String to,
                                        int limit) {
        String sql = "SELECT " + COLUMNS + " FROM archive_entries WHERE artifact_id = :artifact"
                + (from == null ? "" : fromInclusive ? " AND path >= :from" : " AND path > :from")
                + (to == null ? "" : " AND path < :to") + " ORDER BY artifact_id, path" + Paging.limit(limit);
        return database.withHandle(handle -> handle.createQuery(sql)
                .bind("artifact", archive.value()).bind("from", from).bind("to", to).map(MAPPER).list());
    }

    @Override
    public void deleteEntries(ArtifactId archive) {
        database.withHandle(handle -> handle.createUpdate("DELETE FROM archive_entries WHERE artifact_id = :artifact")
                .bind("artifact", archive.value()).execute());
    }
}
