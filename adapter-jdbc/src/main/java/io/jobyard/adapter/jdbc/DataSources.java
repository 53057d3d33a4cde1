package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/** Pooled data sources (HikariCP) for the two supported databases. */
public final class DataSources {
    /**
     * H2 parses a statement again unless it is among the last few its session prepared (8 by default). A request
     * runs about ten distinct statements, and an LRU cache cycled through more entries than it holds never hits, so
     * with the default every statement of every request was parsed and planned anew: most of a request's CPU.
     */
    static final int H2_QUERY_CACHE_SIZE = 256;

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
        return new HikariDataSource(config);
    }

    /** The URL with Jobyard's H2 settings added, unless the URL sets them itself. */
    static String tuned(String url) {
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains(";QUERY_CACHE_SIZE=")) {
            return url + ";QUERY_CACHE_SIZE=" + H2_QUERY_CACHE_SIZE;
        }
        return url;
    }
}
