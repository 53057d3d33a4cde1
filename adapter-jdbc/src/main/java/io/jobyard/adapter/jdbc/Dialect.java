package io.jobyard.adapter.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The little that differs between the two supported databases. Everything else (schema, queries) is one portable
 * text; this names the exceptions, detected once from the connection.
 */
public enum Dialect {
    H2 {
        @Override
        String nextValueExpression(String sequence) {
            return "NEXT VALUE FOR " + sequence;
        }

        @Override
        String updateReturning(String update, String column) {
            return "SELECT " + column + " FROM FINAL TABLE (" + update + ")";
        }

        @Override
        String pathCollation() {
            // H2 compares strings by Java's String.compareTo unless a collation is set: code-unit order already.
            return "";
        }
    },
    POSTGRESQL {
        @Override
        String nextValueExpression(String sequence) {
            return "nextval('" + sequence + "')";
        }

        @Override
        String updateReturning(String update, String column) {
            return update + " RETURNING " + column;
        }

        @Override
        String pathCollation() {
            return "COLLATE \"C\"";
        }
    };

    /** A statement that yields the next value of {@code sequence}. */
    final String nextValue(String sequence) {
        return "SELECT " + nextValueExpression(sequence);
    }

    /** An expression that draws the next value of {@code sequence}, anew for each row a statement writes. */
    abstract String nextValueExpression(String sequence);

    /**
     * A query that runs {@code update} (one UPDATE statement) and yields {@code column} of each row it changed, as
     * changed: one round trip where an update and a read of what it wrote would take two.
     */
    abstract String updateReturning(String update, String column);

    /** The collation clause that makes a column compare by code point. */
    abstract String pathCollation();

    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            return H2;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database: " + product + " (Jobyard runs on H2 or PostgreSQL)");
    }
}
