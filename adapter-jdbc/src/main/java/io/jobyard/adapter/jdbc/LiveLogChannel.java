package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.LiveLogSignals.Kind;
import io.jobyard.application.port.out.LiveLogSignals.Signal;
import io.jobyard.domain.job.JobId;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The PostgreSQL notification channel of live log signals, shared by the two sides of one instance that send on it:
 * the trace store, whose appends notify inside their own transaction (so the notification is delivered exactly when
 * the bytes commit, and never for an append that rolled back), and {@link PostgresLiveLogSignals}, which sends the
 * rest and skips an append the store has already announced.
 */
final class LiveLogChannel {
    static final String NAME = "jobyard_live_log";

    /** Tells this instance's own notifications apart: it has acted on them before sending. */
    private final String instance;
    /** The append this thread's last trace store call announced, until the application's publish comes for it. */
    private final ThreadLocal<String> announced = new ThreadLocal<>();

    LiveLogChannel() {
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        instance = HexFormat.of().formatHex(id);
    }

    String instance() {
        return instance;
    }

    /** The statement that sends {@code signal}: its payload is a hex id, a letter and two numbers, nothing to quote. */
    String notify(Signal signal) {
        return "NOTIFY " + NAME + ", '" + instance + " " + (signal.kind() == Kind.LOG_APPENDED ? "L" : "J") + " "
                + signal.job().value() + " " + signal.length() + "'";
    }

    void forgetAnnouncement() {
        announced.remove();
    }

    /** The trace store's append of {@code job} to {@code length} notified inside its committed transaction. */
    void announcedInTransaction(JobId job, long length) {
        announced.set(job.value() + ":" + length);
    }

    /** Whether {@code signal} is the append this thread's trace store already announced (then forgotten). */
    boolean alreadyAnnounced(Signal signal) {
        String key = signal.job().value() + ":" + signal.length();
        if (signal.kind() == Kind.LOG_APPENDED && key.equals(announced.get())) {
            announced.remove();
            return true;
        }
        return false;
    }
}
