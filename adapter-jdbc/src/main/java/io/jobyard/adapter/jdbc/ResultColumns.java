package io.jobyard.adapter.jdbc;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One result set's columns by label, at the cost of a lookup by index. A getter by label costs H2 far more: on each
 * new result set it builds a map of every column's upper-cased label, then upper-cases the label asked for on every
 * call — 4.5 % of the server's CPU samples under the read benchmark, and an eighth of a job read's time, for the 49
 * columns of a job row and the 25 of a pipeline. The positions of a statement's columns are found once per SQL text
 * and kept; a label the statement does not have is left to the driver, which refuses it as before. This rests on one
 * text always giving the same columns in the same order, on every database one JVM reaches (the cache is shared): true
 * of the repositories' statements, which name their columns; a {@code SELECT *} would follow each table's own column
 * order, which migrations need not keep alike on H2 and PostgreSQL, and must not be read through these mappers.
 */
final class ResultColumns {
    /** Statements whose columns are known; emptied when full (the texts are the repositories', a bounded set). */
    private static final int KNOWN_STATEMENTS = 2_000;
    private static final Map<String, Map<String, Integer>> POSITIONS = new ConcurrentHashMap<>();

    private final ResultSet rs;
    private final Map<String, Integer> positions;

    private ResultColumns(ResultSet rs, Map<String, Integer> positions) {
        this.rs = rs;
        this.positions = positions;
    }

    /** Reads one row through the columns of its result set. */
    interface RowReader<T> {
        T read(ResultColumns row) throws SQLException;
    }

    /** A row mapper that finds its result set's columns once ({@link #of}) and reads every row by position. */
    static <T> RowMapper<T> mapper(RowReader<T> reader) {
        return new RowMapper<>() {
            @Override
            public T map(ResultSet rs, StatementContext ctx) throws SQLException {
                return reader.read(of(rs, ctx));
            }

            @Override
            public RowMapper<T> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
                ResultColumns columns = of(rs, ctx);
                return (row, context) -> reader.read(columns);
            }
        };
    }

    /** The columns of {@code rs}, which the statement of {@code ctx} produced (none known: every label asked). */
    static ResultColumns of(ResultSet rs, StatementContext ctx) throws SQLException {
        return of(rs, ctx == null ? null : ctx.getRenderedSql());
    }

    /** The columns of {@code rs}, which {@code sql} produced; null: every label is asked of the driver. */
    static ResultColumns of(ResultSet rs, String sql) throws SQLException {
        if (sql == null) {
            return new ResultColumns(rs, Map.of());
        }
        Map<String, Integer> known = POSITIONS.get(sql);
        if (known == null) {
            known = positions(rs.getMetaData());
            if (POSITIONS.size() >= KNOWN_STATEMENTS) {
                POSITIONS.clear();
            }
            POSITIONS.put(sql, known);
        }
        return new ResultColumns(rs, known);
    }

    /** Lower-cased label → index; where a label repeats (a join), its first column, as the drivers' lookup. */
    private static Map<String, Integer> positions(ResultSetMetaData metaData) throws SQLException {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = metaData.getColumnCount(); i >= 1; i--) {
            // interned: the mappers' labels are literals, so a lookup's equals is a reference comparison
            positions.put(metaData.getColumnLabel(i).toLowerCase(Locale.ROOT).intern(), i);
        }
        return Map.copyOf(positions);
    }

    int index(String label) throws SQLException {
        Integer known = positions.get(label);
        return known != null ? known : rs.findColumn(label);
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
