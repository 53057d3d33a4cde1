package io.jobyard.adapter.jdbc;

import org.jdbi.v3.core.argument.Argument;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Column values the drivers do not agree on by default. Instants go through {@code OffsetDateTime} in UTC (both
 * drivers map it to {@code TIMESTAMP WITH TIME ZONE} exactly), never through {@code java.sql.Timestamp}, whose
 * conversion via the JVM's time zone loses an hour at daylight-saving changes.
 */
final class Values {

    private Values() {
    }

    /** The precision both databases keep. Records returned by repositories carry exactly what was stored. */
    static Instant stored(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    static Argument instant(Instant value) {
        if (value == null) {
            return (position, statement, context) -> statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
        }
        OffsetDateTime utc = OffsetDateTime.ofInstant(stored(value), ZoneOffset.UTC);
        return (position, statement, context) -> statement.setObject(position, utc);
    }

    static Argument date(LocalDate value) {
        if (value == null) {
            return (position, statement, context) -> statement.setNull(position, Types.DATE);
        }
        return (position, statement, context) -> statement.setObject(position, value);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static LocalDate date(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDate.class);
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
