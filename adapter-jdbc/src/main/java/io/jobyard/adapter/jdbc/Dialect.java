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
        String nextValue(String sequence) {
            return "SELECT NEXT VALUE FOR " + sequence;
        }

        @Override
        String pathCollation() {
            // H2 compares strings by Java's String.compareTo unless a collation is set: code-unit order already.
            return "";
        }
    },
    POSTGRESQL {
        @Override
        String nextValue(String sequence) {
            return "SELECT nextval('" + sequence + "')";
        }

        @Override
        String pathCollation() {
            return "COLLATE \"C\"";
        }
    };

    /** A statement that yields the next value of {@code sequence}. */
    abstract String nextValue(String sequence);

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
