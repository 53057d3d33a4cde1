package io.jobyard.adapter.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One result set's columns, each looked up by its label once. A getter by label costs H2 an upper-cased copy of the
 * label and a hash lookup on every call — 4.5 % of the server's CPU samples under the read benchmark, for the 53
 * columns of every job row and the 25 of every pipeline — while a getter by index costs nothing extra. Labels are
 * keyed by identity: the mappers pass the same constants row after row. Not for sharing between result sets.
 */
final class ResultColumns {
    private final ResultSet rs;
    private final Map<String, Integer> indexes = new IdentityHashMap<>();

    ResultColumns(ResultSet rs) {
        this.rs = rs;
    }

    int index(String label) throws SQLException {
        Integer known = indexes.get(label);
        if (known == null) {
            known = rs.findColumn(label);
            indexes.put(label, known);
        }
        return known;
    }

    String string(String label) throws SQLException {
        return rs.getString(index(label));
    }

    long longValue(String label) throws SQLException {
        return rs.getLong(index(label));
    }

    int intValue(String label) throws SQLException {
        return rs.getInt(index(label));
    }

    boolean bool(String label) throws SQLException {
        return rs.getBoolean(index(label));
    }

    Long nullableLong(String label) throws SQLException {
        long value = rs.getLong(index(label));
        return rs.wasNull() ? null : value;
    }

    Integer nullableInt(String label) throws SQLException {
        int value = rs.getInt(index(label));
        return rs.wasNull() ? null : value;
    }

    Double nullableDouble(String label) throws SQLException {
        double value = rs.getDouble(index(label));
        return rs.wasNull() ? null : value;
    }

    /** As {@link Values#instant(ResultSet, String)}. */
    Instant instant(String label) throws SQLException {
        OffsetDateTime value = rs.getObject(index(label), OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
