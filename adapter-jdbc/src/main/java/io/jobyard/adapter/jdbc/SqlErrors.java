package io.jobyard.adapter.jdbc;

import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.JobyardException;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.error.UnavailableException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Turns database failures into the domain's meaning: an unreachable database or an exhausted pool is "unavailable"
 * (503, retry later), a unique key violation is a conflict (409), a deadlock or lock timeout is a lost race that the
 * use case retries like a stale lock version. Anything else stays what it was: a bug to see.
 */
final class SqlErrors {
    /** PostgreSQL's "the server is going away or not accepting connections" states, besides class 08. */
    private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03", "53300");
    /** H2's "connection broken" and "database is closed" states. */
    private static final Set<String> H2_GONE = Set.of("90067", "90098", "90121");
    private static final String UNIQUE_VIOLATION = "23505";
    /** Serialization failure, PostgreSQL's deadlock, H2's lock timeout: the transaction lost to another one. */
    private static final Set<String> LOST_RACE = Set.of("40001", "40P01", "HYT00");

    private SqlErrors() {
    }

    static RuntimeException translate(RuntimeException failure) {
        if (failure instanceof JobyardException) {
            return failure;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return new UnavailableException("database unavailable", failure);
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || SERVER_GONE.contains(state) || H2_GONE.contains(state)) {
                    return new UnavailableException("database unavailable", failure);
                }
                if (state.equals(UNIQUE_VIOLATION)) {
                    return new ConflictException("a record with the same key already exists");
                }
                if (LOST_RACE.contains(state)) {
                    return new StaleObjectException("A row locked by a concurrent transaction");
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return failure;
    }

    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
