package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class DataSourcesTest {

    @Test
    void h2SessionsCacheEnoughStatementsForAWholeRequest() throws Exception {
        assertThat(queryCacheSize("jdbc:h2:mem:cache-default")).isEqualTo(DataSources.H2_QUERY_CACHE_SIZE);
    }

    @Test
    void aQueryCacheSizeInTheUrlIsKept() throws Exception {
        assertThat(queryCacheSize("jdbc:h2:mem:cache-given;QUERY_CACHE_SIZE=16")).isEqualTo(16);
        assertThat(DataSources.tuned("jdbc:h2:mem:x;query_cache_size=32")).isEqualTo("jdbc:h2:mem:x;query_cache_size=32");
    }

    @Test
    void postgresUrlsAreLeftAlone() {
        assertThat(DataSources.tuned("jdbc:postgresql://localhost/jobyard")).isEqualTo("jdbc:postgresql://localhost/jobyard");
    }

    private static int queryCacheSize(String url) throws Exception {
        try (HikariDataSource pool = DataSources.create(DataSources.Settings.of(url, "sa", "", 2));
             Connection connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet settings = statement.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
            assertThat(settings.next()).isTrue();
            return Integer.parseInt(settings.getString(1));
        }
    }
}
