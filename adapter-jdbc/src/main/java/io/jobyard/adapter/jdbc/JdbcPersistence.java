package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.AccessVersions;
import io.jobyard.application.port.out.ApplicationSettingsRepository;
import io.jobyard.application.port.out.CiConfigRepository;
import io.jobyard.application.port.out.EventLog;
import io.jobyard.application.port.out.HookRepository;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.application.port.out.SecretCipher;
import io.jobyard.application.port.out.TraceArchiveQueue;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.port.out.LiveLogSignals;
import io.jobyard.application.port.out.PasswordRepository;
import io.jobyard.application.port.out.WebSessionRepository;
import io.jobyard.domain.error.UnavailableException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the adapter offers, built on one {@link DataSource}: it migrates the schema (Flyway, idempotent), then
 * builds every repository and the {@link Transactor} over one shared JDBI instance. This is what bootstrap calls.
 *
 * <pre>{@code
 * HikariDataSource pool = DataSources.create(DataSources.Settings.of(url, user, password, 10));
 * JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(pool);
 * JobRepository jobs = persistence.jobs();
 * }</pre>
 */
public final class JdbcPersistence {
    private final Dialect dialect;
    private final DataSource dataSource;
    private final Database database;
    private final LiveLogChannel liveLogChannel = new LiveLogChannel();
    private final Jdbi jdbi;
    private final Transactor transactor;
    private final ProjectRepository projects;
    private final UserRepository users;
    private final RunnerRepository runners;
    private final PipelineRepository pipelines;
    private final JdbiJobRepository jobs;
    private final ArtifactRepository artifacts;
    private final ArchiveIndexRepository archiveIndex;
    private final TraceStore traces;
    private final CiConfigRepository ciConfigs;
    private final EventLog events;
    private final HookRepository hooks;
    private final ApplicationSettingsRepository applicationSettings;
    private final PasswordRepository passwords;
    private final WebSessionRepository webSessions;
    private final AccessVersions accessVersions;
    private final TraceArchiveQueue traceArchiveQueue;

    private JdbcPersistence(DataSource dataSource, Dialect dialect, SecretCipher cipher) {
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
        // Statements bind every column of a record by name; an UPDATE leaves the identity columns unused.
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        this.dataSource = dataSource;
        Database database = new Database(jdbi, dialect);
        VariableColumns variables = new VariableColumns(cipher);
        this.database = database;
        this.transactor = new JdbiTransactor(database);
        this.projects = new JdbiProjectRepository(database);
        this.users = new JdbiUserRepository(database);
        this.runners = new JdbiRunnerRepository(database);
        this.pipelines = new JdbiPipelineRepository(database, variables);
        this.jobs = new JdbiJobRepository(database, variables);
        this.artifacts = new JdbiArtifactRepository(database);
        this.archiveIndex = new JdbiArchiveIndexRepository(database);
        this.traces = new JdbiTraceStore(database, liveLogChannel);
        this.ciConfigs = new JdbiCiConfigRepository(database);
        this.events = new JdbiEventLog(database);
        this.hooks = new JdbiHookRepository(database);
        this.applicationSettings = new JdbiApplicationSettingsRepository(database);
        VariableEncryption.open(database, variables, Instant.now());
        this.passwords = new JdbiPasswordRepository(database);
        this.webSessions = new JdbiWebSessionRepository(database);
        this.accessVersions = new JdbiAccessVersions(database);
        this.traceArchiveQueue = new JdbiTraceArchiveQueue(database);
    }

    /**
     * Brings the schema up to date and builds the repositories, with pipeline and job variables stored unencrypted:
     * for tools and tests. A server passes its key ({@link #migrateAndOpen(DataSource, SecretCipher)}).
     *
     * @throws UnavailableException when the database cannot be reached
     */
    public static JdbcPersistence migrateAndOpen(DataSource dataSource) {
        return migrateAndOpen(dataSource, SecretCipher.PLAINTEXT);
    }

    /**
     * Brings the schema up to date and builds the repositories; pipeline and job variables are sealed with
     * {@code cipher}. At the first start with a key, variables stored before encryption are sealed; a key other than
     * the one the stored variables were sealed under is refused before anything is served.
     *
     * @throws UnavailableException when the database cannot be reached
     * @throws io.jobyard.domain.error.JobyardException naming both keys, when the key is not the database's
     */
    public static JdbcPersistence migrateAndOpen(DataSource dataSource, SecretCipher cipher) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(cipher, "cipher");
        Dialect dialect = detect(dataSource);
        if (!BundledMigrations.alreadyApplied(dataSource)) {
            migrate(dataSource, dialect);
        }
        return new JdbcPersistence(dataSource, dialect, cipher);
    }

    /** Applies pending migrations; a database already up to date is left as it is. */
    public static MigrateResult migrate(DataSource dataSource) {
        return migrate(dataSource, detect(dataSource));
    }

    private static MigrateResult migrate(DataSource dataSource, Dialect dialect) {
        try {
            return Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:" + BundledMigrations.LOCATION)
                    .javaMigrations(BundledMigrations.javaMigrations())
                    .placeholders(Map.of("path_collation", dialect.pathCollation()))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    private static Dialect detect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return Dialect.of(connection);
        } catch (SQLException e) {
            throw new UnavailableException("database unavailable", e);
        }
    }

    /** Logs every statement through {@code logger}: tests count statements with it. */
    public JdbcPersistence withSqlLogger(SqlLogger logger) {
        jdbi.getConfig(SqlStatements.class).setSqlLogger(logger);
        return this;
    }

    /** The shared JDBI instance, for tests of this package (counting statements, wiping tables). */
    Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Transactor transactor() {
        return transactor;
    }

    public ProjectRepository projects() {
        return projects;
    }

    public UserRepository users() {
        return users;
    }

    public RunnerRepository runners() {
        return runners;
    }

    public PipelineRepository pipelines() {
        return pipelines;
    }

    public JobRepository jobs() {
        return jobs;
    }

    public ArtifactRepository artifacts() {
        return artifacts;
    }

    public ArchiveIndexRepository archiveIndex() {
        return archiveIndex;
    }

    public TraceStore traces() {
        return traces;
    }

    public CiConfigRepository ciConfigs() {
        return ciConfigs;
    }

    public EventLog events() {
        return events;
    }

    public HookRepository hooks() {
        return hooks;
    }

    public ApplicationSettingsRepository applicationSettings() {
        return applicationSettings;
    }

    public PasswordRepository passwords() {
        return passwords;
    }

    public WebSessionRepository webSessions() {
        return webSessions;
    }

    /** The version the user, token, membership and project writes above bump (V110). */
    public AccessVersions accessVersions() {
        return accessVersions;
    }

    /** Finished jobs whose live log waits to be archived. */
    public TraceArchiveQueue traceArchiveQueue() {
        return traceArchiveQueue;
    }

    /**
     * A new transport for live log signals between the instances sharing this database: PostgreSQL's
     * {@code LISTEN/NOTIFY} (one pooled connection held while listening; appends to the live logs kept here notify
     * inside their own transaction), or on H2, which has no notifications
     * between processes, {@link LiveLogSignals#LOCAL_ONLY} (followers then poll the log lengths). The caller closes it.
     */
    public LiveLogSignals openLiveLogSignals() {
        return dialect == Dialect.POSTGRESQL ? new PostgresLiveLogSignals(dataSource, database, liveLogChannel)
                : LiveLogSignals.LOCAL_ONLY;
    }
}
