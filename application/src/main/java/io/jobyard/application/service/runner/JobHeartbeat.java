package io.jobyard.application.service.runner;

import io.jobyard.domain.job.Job;

import java.time.Duration;
import java.time.Instant;

/**
 * When a runner's sign of life (a "running" state update, a log append) is worth writing to the job. GitLab touches
 * {@code updated_at} only when it is older than 15 minutes, so a busy runner does not turn every request into a write;
 * the stuck-job sweeper drops a job once {@code updated_at} is older than its timeout. Jobyard touches after a quarter of
 * the timeout when that is shorter, so a job with a short timeout is never mistaken for a stuck one.
 */
public final class JobHeartbeat {
    /** GitLab's {@code needs_touch?} threshold. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(15);

    private JobHeartbeat() {
    }

    /** Whether {@code job}, whose timeout is {@code timeout}, should get a new {@code updated_at} now. */
    public static boolean due(Job job, Instant now, Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        Duration interval = quarter.compareTo(TOUCH_INTERVAL) < 0 ? quarter : TOUCH_INTERVAL;
        return !job.updatedAt().plus(interval).isAfter(now);
    }

    /** {@code job} with {@code updated_at} set to now. */
    public static Job touched(Job job, Instant now) {
        return job.toBuilder().updatedAt(now).build();
    }
}
