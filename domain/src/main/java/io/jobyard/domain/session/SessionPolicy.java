package io.jobyard.domain.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When web sessions end: after {@code idleTimeout} without use (GitLab's "session duration", 10080 minutes = one week
 * by default, renewed by activity), and in any case {@code maxAge} after sign-in, however busy.
 *
 * <p>Use is recorded coarsely: a session's last-seen time is written again only once it is older than
 * {@link #touchInterval()} (a hundredth of the idle timeout, at most a minute), so a page view is not a database write,
 * and a session may end up to that much earlier than the idle timeout says.
 */
public record SessionPolicy(Duration idleTimeout, Duration maxAge) {
    public static final SessionPolicy DEFAULTS = new SessionPolicy(Duration.ofDays(7), Duration.ofDays(30));
    private static final Duration MAX_TOUCH_INTERVAL = Duration.ofMinutes(1);

    public SessionPolicy {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(maxAge, "maxAge");
        if (idleTimeout.isNegative() || idleTimeout.isZero() || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("session timeouts must be positive");
        }
    }

    /** When {@code session} ends unless it is used before. */
    public Instant expiresAt(WebSession session) {
        Instant idle = session.lastSeenAt().plus(idleTimeout);
        Instant absolute = session.createdAt().plus(maxAge);
        return idle.isBefore(absolute) ? idle : absolute;
    }

    public boolean expired(WebSession session, Instant now) {
        return !now.isBefore(expiresAt(session));
    }

    /** Whether the last-seen time is old enough to be written again. */
    public boolean needsTouch(WebSession session, Instant now) {
        return !now.isBefore(session.lastSeenAt().plus(touchInterval()));
    }

    public Duration touchInterval() {
        Duration hundredth = idleTimeout.dividedBy(100);
        return hundredth.compareTo(MAX_TOUCH_INTERVAL) < 0 ? hundredth : MAX_TOUCH_INTERVAL;
    }

    /** Sessions last seen before this are idle-expired at {@code now}. */
    public Instant idleCutoff(Instant now) {
        return now.minus(idleTimeout);
    }

    /** Sessions created before this are past their maximum age at {@code now}. */
    public Instant ageCutoff(Instant now) {
        return now.minus(maxAge);
    }
}
