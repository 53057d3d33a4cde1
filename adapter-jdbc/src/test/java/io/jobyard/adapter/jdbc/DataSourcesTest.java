package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

public class DataSourcesTest {

    @Test
    void h2SessionsCacheEnoughStatementsForAWholeRequest() throws Exception {
        assertThat(queryCacheSize("jdbc:h2:mem:cache-default")).isEqualTo(DataSources.H2_QUERY_CACHE_SIZE);
    }

    @Test
    void aQueryCacheSizeInTheUrlIsKept() throws Exception {
        assertThat(queryCacheSize("jdbc:h2:mem:cache-given;QUERY_CACHE_SIZE=16")).isEqualTo(16);
        assertThat(DataSources.tuned("jdbc:h2:mem:x;query_cache_size=32"))
                .isEqualTo("jdbc:h2:mem:x;query_cache_size=32;" + DataSources.H2_REUSE_RESULTS);
    }

    private static final AtomicInteger CALLS = new AtomicInteger();

    /** A function H2 is told is deterministic, so that only its counter tells whether a result was reused. */
    public static int counted(int value) {
        CALLS.incrementAndGet();
        return value;
    }

    @Test
    void h2KeepsNoResultsOfCachedStatements() throws Exception {
        try (HikariDataSource pool = DataSources.create(DataSources.Settings.of("jdbc:h2:mem:reuse", "sa", "", 2));
             Connection connection = pool.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE ALIAS COUNTED DETERMINISTIC FOR \"" + DataSourcesTest.class.getName()
                        + ".counted\"");
            }
            CALLS.set(0);
            for (int run = 0; run < 3; run++) {
                try (PreparedStatement query = connection.prepareStatement("SELECT COUNTED(?)")) {
                    query.setInt(1, 5);
                    try (ResultSet rows = query.executeQuery()) {
                        assertThat(rows.next()).isTrue();
                    }
                }
            }
            assertThat(CALLS.get()).as("runs of the statement").isEqualTo(3);
        }
        assertThat(DataSources.tuned("jdbc:h2:mem:x;OPTIMIZE_REUSE_RESULTS=TRUE"))
                .isEqualTo("jdbc:h2:mem:x;OPTIMIZE_REUSE_RESULTS=TRUE;QUERY_CACHE_SIZE=256");
    }

    /**
     * After H2 closed the database (as it does on an out-of-memory error), a pool used without a pause between
     * requests serves again: HikariCP checks a session only after it idled for half a second, so without evicting on
     * H2's "database closed" every request failed until the server was restarted.
     */
    @Test
    void aPoolUsedWithoutPausesServesAgainAfterH2ClosedTheDatabase(@TempDir Path directory) throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("db");
        try (HikariDataSource pool = DataSources.create(DataSources.Settings.of(url, "sa", "", 3))) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id INT PRIMARY KEY)");
                statement.execute("INSERT INTO kept VALUES (7)");
            }
            // All three sessions made, then the database closed under them.
            Connection[] held = {pool.getConnection(), pool.getConnection(), pool.getConnection()};
            try (Statement statement = held[0].createStatement()) {
                statement.execute("SHUTDOWN");
            }
            for (Connection connection : held) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // the pool's reset of a session whose database is gone
                }
            }

            int failures = 0;
            int lastResult = 0;
            for (int request = 0; request < 30; request++) {
                try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT id FROM kept")) {
                    rows.next();
                    lastResult = rows.getInt(1);
                } catch (SQLException e) {
                    failures++;
                }
            }
            assertThat(failures).as("requests failed on dead sessions").isLessThanOrEqualTo(3);
            assertThat(lastResult).isEqualTo(7);
        }
    }

    @Test
    void postgresUrlsAreLeftAlone() {
        assertThat(DataSources.tuned("jdbc:postgresql://localhost/jobyard")).isEqualTo("jdbc:postgresql://localhost/jobyard");
    }

    private static int queryCacheSize(String url) throws Exception {
        return Integer.parseInt(setting(url, "QUERY_CACHE_SIZE"));
    }

    private static String setting(String url, String name) throws Exception {
        try (HikariDataSource pool = DataSources.create(DataSources.Settings.of(url, "sa", "", 2));
             Connection connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet settings = statement.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '" + name + "'")) {
            assertThat(settings.next()).as(name).isTrue();
            return settings.getString(1);
        }
    }
}
