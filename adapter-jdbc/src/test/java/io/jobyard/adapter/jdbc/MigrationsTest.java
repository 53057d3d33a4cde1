package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

    @Test
    void theBundledListNamesEveryScriptInTheMigrationFolderInVersionOrder() throws Exception {
        Path folder = Path.of(MigrationsTest.class.getResource("/db/migration").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            List<String> scripts = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(n -> Integer.parseInt(BundledMigrations.versionOf(n))))
                    .toList();
            assertThat(BundledMigrations.SCRIPTS).containsExactlyElementsOf(scripts);
        }
    }

    @Test
    void theShortcutRecognisesWhatFlywayAppliedOnH2AndNothingElse() throws Exception {
        try (HikariDataSource pool = TestStores.h2DataSource(directory)) {
            assertThat(BundledMigrations.alreadyApplied(pool)).as("no history table yet").isFalse();
            JdbcPersistence.migrate(pool);
            assertThat(BundledMigrations.alreadyApplied(pool)).as("Flyway's checksums match ours").isTrue();

            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" + 1"
                        + " WHERE \"version\" = '2'");
            }
            assertThat(BundledMigrations.alreadyApplied(pool)).as("an edited script is Flyway's to judge").isFalse();
        }
    }

    @Test
    void theShortcutRecognisesWhatFlywayAppliedOnPostgres() throws Exception {
        try (HikariDataSource pool = TestStores.newPostgresDatabase(2)) {
            assertThat(BundledMigrations.alreadyApplied(pool)).isFalse();
            JdbcPersistence.migrate(pool);
            assertThat(BundledMigrations.alreadyApplied(pool)).isTrue();
        }
    }

    @Test
    void aPendingFailedOrUnknownMigrationLeavesTheDecisionToFlyway() {
        List<BundledMigrations.Applied> current = BundledMigrations.expected();
        assertThat(BundledMigrations.matches(current)).isTrue();
        assertThat(BundledMigrations.matches(current.subList(0, current.size() - 1))).as("pending").isFalse();

        List<BundledMigrations.Applied> failed = new ArrayList<>(current);
        BundledMigrations.Applied last = failed.remove(failed.size() - 1);
        failed.add(new BundledMigrations.Applied(last.version(), last.script(), last.checksum(), false));
        assertThat(BundledMigrations.matches(failed)).as("failed").isFalse();

        List<BundledMigrations.Applied> newer = new ArrayList<>(current);
        newer.add(new BundledMigrations.Applied("999", "V999__from_a_newer_build.sql", 1, true));
        assertThat(BundledMigrations.matches(newer)).as("applied by a newer build").isFalse();
    }

    private static int migrationCount() throws Exception {
        Path folder = Path.of(MigrationsTest.class.getResource("/db/migration").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count()
                    + BundledMigrations.JAVA.size();
        }
    }
}
