package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One set of migrations for both databases; running them again changes nothing. */
class MigrationsTest {

    @TempDir
    Path directory;

    @Test
    void onH2InFileModeMigratingTwiceIsANoOpAndTheSchemaSurvivesAReopen() throws Exception {
        int migrations = migrationCount();
        try (HikariDataSource first = TestStores.h2DataSource(directory)) {
            MigrateResult initial = JdbcPersistence.migrate(first);
            MigrateResult again = JdbcPersistence.migrate(first);

            assertThat(initial.migrationsExecuted).isEqualTo(migrations);
            assertThat(again.migrationsExecuted).isZero();
            assertThat(JdbcPersistence.migrateAndOpen(first).dialect()).isEqualTo(Dialect.H2);
        }
        assertThat(Files.list(directory).map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".mv.db"));
        try (HikariDataSource reopened = TestStores.h2DataSource(directory)) {
            assertThat(JdbcPersistence.migrate(reopened).migrationsExecuted).isZero();
        }
    }

    @Test
    void onPostgresMigratingTwiceIsANoOp() throws Exception {
        try (HikariDataSource pool = TestStores.newPostgresDatabase(2)) {
            MigrateResult initial = JdbcPersistence.migrate(pool);
            MigrateResult again = JdbcPersistence.migrate(pool);

            assertThat(initial.migrationsExecuted).isEqualTo(migrationCount());
            assertThat(again.migrationsExecuted).isZero();
            assertThat(JdbcPersistence.migrateAndOpen(pool).dialect()).isEqualTo(Dialect.POSTGRESQL);
        }
    }

    private static int migrationCount() throws Exception {
        Path folder = Path.of(MigrationsTest.class.getResource("/db/migration").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }
}
