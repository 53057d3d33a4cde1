package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.port.out.LiveLogSignals;
import io.jobyard.application.port.out.LiveLogSignals.Signal;
import io.jobyard.domain.job.JobId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances, each with its own pool, on one PostgreSQL database: what one publishes, the other hears, once the
 * publishing transaction commits, and again after its listening connection was killed.
 */
class PostgresLiveLogSignalsTest {
    private static HikariDataSource poolA;
    private static HikariDataSource poolB;
    private static JdbcPersistence instanceA;
    private static JdbcPersistence instanceB;

    @BeforeAll
    static void twoInstances() {
        String url = TestStores.newPostgresDatabaseUrl();
        poolA = DataSources.create(DataSources.Settings.of(url, "postgres", "postgres", 4));
        poolB = DataSources.create(DataSources.Settings.of(url, "postgres", "postgres", 4));
        instanceA = JdbcPersistence.migrateAndOpen(poolA);
        instanceB = JdbcPersistence.migrateAndOpen(poolB);
    }

    @AfterAll
    static void close() {
        poolA.close();
        poolB.close();
    }

    /** Records what a receiver hears, with the time it heard it. */
    static final class Heard implements LiveLogSignals.Receiver {
        final List<Signal> signals = new CopyOnWriteArrayList<>();
        final Map<Signal, Long> at = new ConcurrentHashMap<>();
        final AtomicInteger missed = new AtomicInteger();

        @Override
        public void received(Signal signal) {
            at.putIfAbsent(signal, System.nanoTime());
            signals.add(signal);
        }

        @Override
        public void missedSome() {
            missed.incrementAndGet();
        }
    }

    @Test
    void aSignalFromOneInstanceReachesTheOtherWithinASecondAndNotItself() {
        Heard heardByA = new Heard();
        Heard heardByB = new Heard();
        try (LiveLogSignals a = instanceA.openLiveLogSignals(); LiveLogSignals b = instanceB.openLiveLogSignals()) {
            a.listen(heardByA);
            b.listen(heardByB);
            long[] latencies = new long[50];
            for (int i = 0; i < latencies.length; i++) {
                Signal signal = Signal.logAppended(JobId.of(1000 + i), i * 10L);
                long sent = System.nanoTime();
                a.publish(signal);
                await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5))
                        .until(() -> heardByB.at.containsKey(signal));
                latencies[i] = heardByB.at.get(signal) - sent;
            }
            b.publish(Signal.jobChanged(JobId.of(7)));
            await().atMost(Duration.ofSeconds(5)).until(() -> heardByA.signals.contains(Signal.jobChanged(JobId.of(7))));

            java.util.Arrays.sort(latencies);
            System.out.printf("NOTIFY to listener on another pool: p50 %.2f ms, max %.2f ms%n",
                    latencies[latencies.length / 2] / 1e6, latencies[latencies.length - 1] / 1e6);
            assertThat(latencies[latencies.length - 1]).isLessThan(Duration.ofSeconds(1).toNanos());
            assertThat(heardByA.signals).as("its own signals are not echoed").containsExactly(
                    Signal.jobChanged(JobId.of(7)));
            assertThat(a.reachesOtherInstances()).isTrue();
        }
    }

    @Test
    void aSignalSentInsideATransactionArrivesOnCommitAndNeverOnRollback() {
        Heard heardByB = new Heard();
        try (LiveLogSignals a = instanceA.openLiveLogSignals(); LiveLogSignals b = instanceB.openLiveLogSignals()) {
            b.listen(heardByB);
            Signal committed = Signal.logAppended(JobId.of(1), 100);
            Signal rolledBack = Signal.logAppended(JobId.of(2), 200);
            Signal marker = Signal.jobChanged(JobId.of(3));

            instanceA.transactor().run(() -> {
                a.publish(committed);
                // Still inside the transaction: nothing has been delivered.
                await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
                assertThat(heardByB.signals).isEmpty();
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> heardByB.signals.contains(committed));
            try {
                instanceA.transactor().run(() -> {
                    a.publish(rolledBack);
                    throw new IllegalStateException("roll back");
                });
            } catch (IllegalStateException expected) {
                // rolled back
            }
            a.publish(marker);

            // Notifications arrive in commit order: once the marker is here, the rolled-back one never comes.
            await().atMost(Duration.ofSeconds(5)).until(() -> heardByB.signals.contains(marker));
            assertThat(heardByB.signals).containsExactly(committed, marker);
        }
    }

    @Test
    void anAppendToALogInTheDatabaseIsNotifiedByItsOwnTransactionOnceAndARolledBackOneNever() {
        Heard heardByB = new Heard();
        try (LiveLogSignals a = instanceA.openLiveLogSignals(); LiveLogSignals b = instanceB.openLiveLogSignals()) {
            b.listen(heardByB);
            JobId job = JobId.of(4242);
            JobId tooLong = JobId.of(4343);
            Signal marker = Signal.jobChanged(JobId.of(1));

            long length = instanceA.traces().append(job, 0, new java.io.ByteArrayInputStream(new byte[300]), 1 << 20);
            // The application's publish of the same append, as AppendTraceService makes it, sends nothing more.
            a.publish(Signal.logAppended(job, length));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> instanceA.traces().append(tooLong, 0,
                    new java.io.ByteArrayInputStream(new byte[300]), 100))
                    .isInstanceOf(io.jobyard.domain.error.PayloadTooLargeException.class);
            a.publish(marker);

            await().atMost(Duration.ofSeconds(5)).until(() -> heardByB.signals.contains(marker));
            assertThat(heardByB.signals).containsExactly(Signal.logAppended(job, 300), marker);
        }
    }

    @Test
    void afterItsConnectionIsKilledTheListenerReconnectsAndSaysItMayHaveMissedSome() throws SQLException {
        Heard heardByB = new Heard();
        try (LiveLogSignals a = instanceA.openLiveLogSignals(); LiveLogSignals b = instanceB.openLiveLogSignals()) {
            b.listen(heardByB);
            try (Connection admin = poolA.getConnection(); Statement statement = admin.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                        + "pg_backend_pid() AND query LIKE 'LISTEN " + PostgresLiveLogSignals.CHANNEL + "%'");
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> heardByB.missed.get() >= 1);
            Signal after = Signal.logAppended(JobId.of(9), 90);
            a.publish(after);

            await().atMost(Duration.ofSeconds(5)).until(() -> heardByB.signals.contains(after));
        }
    }

    @Test
    void h2HasNoNotificationsBetweenProcessesSoFollowersPoll() {
        LiveLogSignals signals = TestStores.h2().openLiveLogSignals();

        assertThat(signals).isSameAs(LiveLogSignals.LOCAL_ONLY);
        assertThat(signals.reachesOtherInstances()).isFalse();
    }
}
