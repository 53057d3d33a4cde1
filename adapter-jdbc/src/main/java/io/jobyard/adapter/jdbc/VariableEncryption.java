package io.jobyard.adapter.jdbc;

import io.jobyard.domain.error.JobyardException;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What opening the database with a key does first: refuse a key other than the one the stored variables were sealed
 * under, with a message that names both, and — at the first start with a key — seal every variable written before
 * encryption (plaintext rows of {@code pipelines} and {@code jobs}), in batches, each row updated only if it still holds
 * what was read. The key is recorded once that is done, so the rows are looked at once; a start interrupted before that
 * repeats the sealing, which skips what is sealed already.
 */
final class VariableEncryption {
    private static final int BATCH = 500;
    private static final List<String> TABLES = List.of("pipelines", "jobs");

    /** The configured key is not the one the stored variables were sealed under. */
    static final class WrongKeyException extends JobyardException {
        WrongKeyException(String message) {
            super(message);
        }
    }

    private VariableEncryption() {
    }

    /** @return how many rows were sealed now */
    static long open(Database database, VariableColumns columns, Instant now) {
        String keyId = columns.cipher().keyId();
        if (keyId == null) {
            return 0;
        }
        List<String> stored = database.withHandle(handle ->
                handle.createQuery("SELECT key_id FROM encryption_keys").mapTo(String.class).list());
        Set<String> recorded = new TreeSet<>(stored);
        if (recorded.contains(keyId)) {
            return 0;
        }
        if (!recorded.isEmpty()) {
            throw new WrongKeyException("the stored pipeline and job variables are encrypted under the key "
                    + String.join(", ", recorded) + ", but the configured key is " + keyId
                    + ": configure the key the database was used with (it was backed up with the database)");
        }
        long sealed = 0;
        for (String table : TABLES) {
            sealed += sealPlaintextRows(database, columns, table);
        }
        try {
            database.withHandle(handle -> handle.createUpdate(
                            "INSERT INTO encryption_keys (key_id, created_at) VALUES (:key, :at)")
                    .bind("key", keyId).bind("at", Values.instant(now)).execute());
        } catch (RuntimeException e) {
            if (!SqlErrors.isUniqueViolation(e)) {
                throw e;
            }
            // another instance with the same key finished first
        }
        return sealed;
    }

    private static long sealPlaintextRows(Database database, VariableColumns columns, String table) {
        long sealed = 0;
        long after = 0;
        while (true) {
            long from = after;
            List<Map<String, Object>> rows = database.withHandle(handle -> plaintextRows(handle, table, from));
            if (rows.isEmpty()) {
                return sealed;
            }
            for (Map<String, Object> row : rows) {
                long id = ((Number) row.get("id")).longValue();
                String plaintext = (String) row.get("variables");
                String sealedText = columns.seal(plaintext, table, id);
                sealed += database.withHandle(handle -> handle.createUpdate("UPDATE " + table
                                + " SET variables = :sealed WHERE id = :id AND variables = :plaintext")
                        .bind("sealed", sealedText).bind("id", id).bind("plaintext", plaintext).execute());
                after = id;
            }
        }
    }

    private static List<Map<String, Object>> plaintextRows(Handle handle, String table, long after) {
        return handle.createQuery("SELECT id, variables FROM " + table
                        + " WHERE id > :after AND variables LIKE '[%' AND variables <> '[]' ORDER BY id"
                        + Paging.limit(BATCH))
                .bind("after", after)
                .map((rs, ctx) -> Map.<String, Object>of("id", rs.getLong("id"), "variables",
                        rs.getString("variables")))
                .list();
    }
}
