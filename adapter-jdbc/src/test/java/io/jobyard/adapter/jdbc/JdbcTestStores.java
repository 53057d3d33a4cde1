package io.jobyard.adapter.jdbc;

import io.jobyard.application.contract.EventStores;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.port.out.AccessVersions;
import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.application.port.out.CiConfigRepository;
import io.jobyard.application.port.out.TraceArchiveQueue;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.port.out.PasswordRepository;
import io.jobyard.application.port.out.WebSessionRepository;

/** The stores the contract tests (in the {@code contract} package) run on: emptied before every test. */
public final class JdbcTestStores {
    private JdbcTestStores() {
    }

    public static Repositories h2() {
        return TestStores.emptyRepositories(TestStores.h2());
    }

    public static Repositories postgres() {
        return TestStores.emptyRepositories(TestStores.postgres());
    }

    public static ArchiveIndexRepository h2ArchiveIndex() {
        return TestStores.h2().archiveIndex();
    }

    public static ArchiveIndexRepository postgresArchiveIndex() {
        return TestStores.postgres().archiveIndex();
    }

    public static CiConfigRepository h2CiConfigs() {
        return TestStores.h2().ciConfigs();
    }

    public static CiConfigRepository postgresCiConfigs() {
        return TestStores.postgres().ciConfigs();
    }

    /** The H2 store's password hashes (emptied with {@link #h2()}). */
    public static PasswordRepository h2Passwords() {
        return TestStores.h2().passwords();
    }

    public static PasswordRepository postgresPasswords() {
        return TestStores.postgres().passwords();
    }

    /** The H2 store's web sessions (emptied with {@link #h2()}). */
    public static AccessVersions h2AccessVersions() {
        return TestStores.h2().accessVersions();
    }

    public static AccessVersions postgresAccessVersions() {
        return TestStores.postgres().accessVersions();
    }

    public static WebSessionRepository h2WebSessions() {
        return TestStores.h2().webSessions();
    }

    public static WebSessionRepository postgresWebSessions() {
        return TestStores.postgres().webSessions();
    }

    /** The H2 store's live logs, emptied. */
    public static TraceStore h2Traces() {
        return TestStores.emptied(TestStores.h2()).traces();
    }

    public static TraceStore postgresTraces() {
        return TestStores.emptied(TestStores.postgres()).traces();
    }

    /** A new adapter instance over the same database: what an application restart does to the live logs. */
    public static TraceStore h2TracesAfterRestart() {
        return TestStores.h2Restarted().traces();
    }

    public static TraceStore postgresTracesAfterRestart() {
        return TestStores.postgresRestarted().traces();
    }

    /** The H2 store's trace archive queue (emptied with {@link #h2()}). */
    public static TraceArchiveQueue h2TraceArchiveQueue() {
        return TestStores.h2().traceArchiveQueue();
    }

    public static TraceArchiveQueue postgresTraceArchiveQueue() {
        return TestStores.postgres().traceArchiveQueue();
    }

    public static EventStores h2EventStores() {
        return eventStores(TestStores.h2());
    }

    public static EventStores postgresEventStores() {
        return eventStores(TestStores.postgres());
    }

    private static EventStores eventStores(JdbcPersistence persistence) {
        Repositories repos = TestStores.emptyRepositories(persistence);
        return new EventStores(repos, persistence.events(), persistence.hooks(), persistence.applicationSettings());
    }
}
