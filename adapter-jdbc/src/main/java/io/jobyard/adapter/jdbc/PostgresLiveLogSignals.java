package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.LiveLogSignals;
import io.jobyard.domain.job.JobId;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Live log signals between the instances that share one PostgreSQL database, over {@code LISTEN/NOTIFY}: a signal is
 * a {@code NOTIFY} (delivered when its transaction commits; outside one, at once), heard by every instance through
 * one dedicated connection that listens. An append to a live log kept in this database ({@link JdbiTraceStore}) is
 * notified inside the append's own transaction, so it is delivered exactly when the bytes commit; the application's
 * publish of that append is then skipped ({@link LiveLogChannel}). Appends to logs kept elsewhere (a shared
 * filesystem) are notified by the publish, right after their write. It is taken from the pool and held for the instance's lifetime, so the pool
 * needs one connection more than the requests use.
 *
 * <p>Why notifications and not a table to poll: measured on embedded PostgreSQL 14 with two instances in one JVM, an
 * append made through one instance reaches a follower on the other in a few milliseconds this way, against half the
 * poll interval on average with polling; and the listener costs one idle connection, not a query per interval. The
 * hub still polls the lengths as a safety net (a notification lost while the listener reconnected).
 *
 * <p>The listening connection is checked every {@link #CHECK_EVERY_MILLIS} (a silently dead TCP connection would
 * otherwise just deliver nothing); a failure reconnects after a pause, and the receiver is told it may have missed
 * signals. Before the connection goes back to the pool it stops listening, so no other user of the pool collects
 * notifications nobody reads. Not for a pooler in transaction mode (PgBouncer), where {@code LISTEN} does not hold.
 */
final class PostgresLiveLogSignals implements LiveLogSignals {
    static final String CHANNEL = LiveLogChannel.NAME;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLiveLogSignals.class);
    private static final int WAIT_MILLIS = 250;
    private static final long CHECK_EVERY_MILLIS = 15_000;
    private static final long RECONNECT_PAUSE_MILLIS = 1_000;

    private final DataSource dataSource;
    private final Database database;
    private final LiveLogChannel channel;
    private volatile boolean closed;
    private Thread listener;

    PostgresLiveLogSignals(DataSource dataSource, Database database, LiveLogChannel channel) {
        this.dataSource = dataSource;
        this.database = database;
        this.channel = channel;
    }

    @Override
    public void publish(Signal signal) {
        if (channel.alreadyAnnounced(signal)) {
            return;
        }
        database.withHandle(handle -> handle.execute(channel.notify(signal)));
    }

    @Override
    public synchronized void listen(Receiver receiver) {
        if (listener != null || closed) {
            return;
        }
        CountDownLatch listening = new CountDownLatch(1);
        listener = new Thread(() -> listenUntilClosed(receiver, listening), "jobyard-live-log-listener");
        listener.setDaemon(true);
        listener.start();
        try {
            // Normally a few milliseconds; while the database is away the hub's poll covers what this misses.
            if (!listening.await(10, TimeUnit.SECONDS)) {
                LOG.warn("Live log notifications are not heard yet (database unreachable); followers poll meanwhile");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean reachesOtherInstances() {
        return true;
    }

    private void listenUntilClosed(Receiver receiver, CountDownLatch listening) {
        boolean reconnected = false;
        boolean warned = false;
        while (!closed) {
            try (Connection connection = dataSource.getConnection()) {
                try {
                    listenOn(connection, receiver, listening, reconnected);
                } finally {
                    unlisten(connection);
                }
                warned = false;
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!warned) {
                    LOG.warn("Live log notifications interrupted ({}); reconnecting, followers poll meanwhile",
                            e.getMessage());
                    warned = true;
                }
            }
            reconnected = true;
            pause();
        }
    }

    private void listenOn(Connection connection, Receiver receiver, CountDownLatch listening, boolean reconnected)
            throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        listening.countDown();
        if (reconnected) {
            receiver.missedSome();
        }
        PGConnection notifications = connection.unwrap(PGConnection.class);
        long checked = System.nanoTime();
        while (!closed) {
            PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
            if (received != null) {
                for (PGNotification notification : received) {
                    deliver(notification.getParameter(), receiver);
                }
            }
            if (System.nanoTime() - checked > TimeUnit.MILLISECONDS.toNanos(CHECK_EVERY_MILLIS)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                checked = System.nanoTime();
            }
        }
    }

    private void deliver(String payload, Receiver receiver) {
        String[] parts = payload.split(" ");
        if (parts.length != 4 || parts[0].equals(channel.instance())) {
            return;
        }
        try {
            JobId job = JobId.of(Long.parseLong(parts[2]));
            long length = Long.parseLong(parts[3]);
            receiver.received(parts[1].equals("L") ? Signal.logAppended(job, length) : Signal.jobChanged(job));
        } catch (RuntimeException malformed) {
            LOG.debug("Ignored a malformed live log notification '{}'", payload);
        }
    }

    private static void unlisten(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
        } catch (SQLException | RuntimeException brokenAnyway) {
            // a broken connection is evicted by the pool
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = listener;
        }
        if (running != null) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
