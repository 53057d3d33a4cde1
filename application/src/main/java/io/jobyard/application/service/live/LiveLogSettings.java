package io.jobyard.application.service.live;

import java.time.Duration;
import java.util.Objects;

/**
 * How live log follows behave.
 *
 * @param heartbeat       a follower that was sent nothing for this long gets a heartbeat (an SSE comment keeps
 *                        proxies from closing the idle stream, and a dead client is noticed when it is written to)
 * @param pollInterval    how often followed jobs are looked at again: their status, and their log length — the way
 *                        appends through other instances are found when no notification carries them (H2), and the
 *                        safety net when one was lost
 * @param maxPendingBytes a follower whose sink holds more undelivered bytes than this is cut off as too slow; one that
 *                        catches up on an existing log is given a part only while the part still fits under it
 * @param chunkSize       the largest part read and delivered at once
 * @param threads         the fixed pool that reads and delivers for every follower of every job
 * @param archiveWait     how long after a job finished its log may still be waiting to be archived; past it, the live
 *                        log is taken as final (appends to a finished job are refused)
 */
public record LiveLogSettings(Duration heartbeat, Duration pollInterval, long maxPendingBytes, int chunkSize,
                              int threads, Duration archiveWait) {
    public static final LiveLogSettings DEFAULTS = new LiveLogSettings(Duration.ofSeconds(15),
            Duration.ofMillis(500), 4L << 20, 64 * 1024, 2, Duration.ofSeconds(5));

    public LiveLogSettings {
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(archiveWait, "archiveWait");
        if (heartbeat.isNegative() || heartbeat.isZero() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the heartbeat and poll intervals must be positive");
        }
        if (chunkSize < 1 || threads < 1) {
            throw new IllegalArgumentException("chunk size and threads must be positive");
        }
        if (maxPendingBytes < 2L * chunkSize) {
            throw new IllegalArgumentException("the pending bound must hold at least two chunks of " + chunkSize
                    + " bytes");
        }
    }

    public LiveLogSettings withHeartbeat(Duration value) {
        return new LiveLogSettings(value, pollInterval, maxPendingBytes, chunkSize, threads, archiveWait);
    }

    public LiveLogSettings withPollInterval(Duration value) {
        return new LiveLogSettings(heartbeat, value, maxPendingBytes, chunkSize, threads, archiveWait);
    }

    public LiveLogSettings withMaxPendingBytes(long value) {
        return new LiveLogSettings(heartbeat, pollInterval, value, chunkSize, threads, archiveWait);
    }

    public LiveLogSettings withChunkSize(int value) {
        return new LiveLogSettings(heartbeat, pollInterval, maxPendingBytes, value, threads, archiveWait);
    }

    public LiveLogSettings withThreads(int value) {
        return new LiveLogSettings(heartbeat, pollInterval, maxPendingBytes, chunkSize, value, archiveWait);
    }

    public LiveLogSettings withArchiveWait(Duration value) {
        return new LiveLogSettings(heartbeat, pollInterval, maxPendingBytes, chunkSize, threads, value);
    }
}
