package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code Transactor.reading}: the repository calls inside share one pooled connection, and transactions still work. */
class ReadingSessionTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private final AtomicInteger borrowed = new AtomicInteger();
    private HikariDataSource pool;
    private JdbcPersistence persistence;

    @BeforeEach
    void open() {
        pool = DataSources.create(DataSources.Settings.of("jdbc:h2:mem:reading-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "sa", "", 4));
        DataSource counting = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        borrowed.incrementAndGet();
                    }
                    try {
                        return method.invoke(pool, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        persistence = JdbcPersistence.migrateAndOpen(counting);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void callsInsideReadingBorrowOneConnection() {
        Project project = insert("app");

        borrowed.set(0);
        readThreeTimes(project.id());
        assertThat(borrowed).hasValue(3);

        borrowed.set(0);
        persistence.transactor().reading(() -> {
            readThreeTimes(project.id());
            return persistence.transactor().reading(() -> persistence.projects().findById(project.id()));
        });
        assertThat(borrowed).hasValue(1);
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    }

    @Test
    void aTransactionInsideReadingCommitsOrRollsBackAsUsual() {
        Project kept = persistence.transactor().reading(() -> persistence.transactor().inTransaction(() -> insert("kept")));
        assertThatThrownBy(() -> persistence.transactor().reading(() -> persistence.transactor().inTransaction(() -> {
            insert("undone");
            throw new IllegalStateException("boom");
        }))).hasMessage("boom");

        assertThat(persistence.projects().findById(kept.id())).contains(kept);
        assertThat(persistence.projects().findByFullPath("group/undone")).isEmpty();
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    }

    private void readThreeTimes(ProjectId id) {
        assertThat(persistence.projects().findById(id)).isPresent();
        assertThat(persistence.projects().members(id)).isEmpty();
        assertThat(persistence.projects().findByFullPath("group/app")).isPresent();
    }

    private Project insert(String path) {
        return persistence.projects().insert(new Project(persistence.projects().nextId(), path, path, "group",
                Visibility.PUBLIC, true, false, T0));
    }
}
