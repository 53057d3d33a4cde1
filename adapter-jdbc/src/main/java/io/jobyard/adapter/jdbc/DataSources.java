package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Pooled data sources (HikariCP) for the two supported databases. */
public final class DataSources {
    /**
     * H2 parses a statement again unless it is among the last few its session prepared (8 by default). A request
     * runs about ten distinct statements, and an LRU cache cycled through more entries than it holds never hits, so
     * with the default every statement of every request was parsed and planned anew: most of a request's CPU.
     */
    static final int H2_QUERY_CACHE_SIZE = 256;

    /**
     * H2 keeps the last result of every statement it has cached, to answer the same statement with the same
     * parameters again without running it: with {@link #H2_QUERY_CACHE_SIZE} statements on each pooled session, memory
     * that no setting bounds. Under 16 connections of one filtered pipeline-jobs list at 1,000,000 jobs the heap held
     * 4.4 million kept rows (100 MiB) and filled its 256 MiB within seconds; H2 then closed the database (its answer to
     * an {@link OutOfMemoryError}). With this off, the same load kept 7 MiB. Kept results only ever answer a repeat of
     * the very same statement before any write to its tables (BENCHMARKS.md: a benchmark repeating one request lost
     * 2–31 % of its rate, real traffic far less).
     */
    static final String H2_REUSE_RESULTS = "OPTIMIZE_REUSE_RESULTS=FALSE";

    /**
     * H2's errors after which a pooled session is of no use: the database was closed under it (after an
     * out-of-memory error, say, or a {@code SHUTDOWN}), or the connection broke. Their SQL states are not the
     * standard {@code 08…} that HikariCP evicts by itself, so it would hand the dead sessions out again to every
     * request of a busy server, which never let a connection idle long enough to be checked: the server answered 503
     * until restarted. Evicted, the next session opens the database again.
     */
    static final Set<Integer> H2_FATAL_ERRORS = Set.of(
            90098, // DATABASE_IS_CLOSED
            90108, // OUT_OF_MEMORY
            90121, // DATABASE_CALLED_AT_SHUTDOWN
            90067); // CONNECTION_BROKEN_1

    private DataSources() {
    }

    /**
     * How to reach the database.
     *
     * @param connectionTimeout how long a request waits for a pooled connection before the database counts as
     *                          unavailable (503); keep it short so clients are answered quickly
     */
    public record Settings(String url, String user, String password, int poolSize, Duration connectionTimeout) {
        public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

        public Settings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(connectionTimeout, "connectionTimeout");
            if (poolSize < 2) {
                // Flyway holds a second connection (its lock on the schema history) while it migrates.
                throw new IllegalArgumentException("pool size must be at least 2");
            }
        }

        public static Settings of(String url, String user, String password, int poolSize) {
            return new Settings(url, user, password, poolSize, DEFAULT_CONNECTION_TIMEOUT);
        }

        public Settings withConnectionTimeout(Duration timeout) {
            return new Settings(url, user, password, poolSize, timeout);
        }
    }

    /**
     * The URL of an embedded H2 database in {@code directory}. The lock timeout is raised from H2's default so that
     * writers queue behind each other (a trace append waits for the one before it) instead of failing.
     */
    public static String h2FileUrl(Path directory) {
        return "jdbc:h2:file:" + directory.toAbsolutePath().resolve("jobyard") + ";LOCK_TIMEOUT=10000";
    }

    public static HikariDataSource create(Settings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("jobyard");
        config.setJdbcUrl(tuned(settings.url()));
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setConnectionTimeout(Math.max(250, settings.connectionTimeout().toMillis()));
        // A dead connection is found on borrow within this window, so a restarted database is used again by itself.
        config.setValidationTimeout(Math.max(250, Math.min(settings.connectionTimeout().toMillis(), 5000)));
        // Start even while the database is still coming up; requests answer 503 until it is there.
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        if (settings.url().startsWith("jdbc:h2:")) {
            config.setExceptionOverride(new EvictOnH2FatalErrors());
        }
        return new HikariDataSource(config);
    }

    /** See {@link #H2_FATAL_ERRORS}; HikariCP asks it about each exception of a chain. */
    static final class EvictOnH2FatalErrors implements SQLExceptionOverride {
        @java.lang.Override
        public SQLExceptionOverride.Override adjudicate(SQLException error) {
            return H2_FATAL_ERRORS.contains(error.getErrorCode()) ? SQLExceptionOverride.Override.MUST_EVICT
                    : SQLExceptionOverride.Override.CONTINUE_EVICT;
        }
    }

    /** The URL with Jobyard's H2 settings added, unless the URL sets them itself. */
    static String tuned(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String upper = url.toUpperCase(Locale.ROOT);
        String tuned = url;
        if (!upper.contains(";QUERY_CACHE_SIZE=")) {
            tuned += ";QUERY_CACHE_SIZE=" + H2_QUERY_CACHE_SIZE;
        }
        if (!upper.contains(";OPTIMIZE_REUSE_RESULTS=")) {
            tuned += ";" + H2_REUSE_RESULTS;
        }
        return tuned;
    }
}
