package io.jobyard.application.port.out;

import io.jobyard.domain.job.JobId;

import java.util.Objects;

/**
 * Carries "a log grew" and "a job changed" between the instances of a deployment that share one database, so a
 * follower on one instance hears of appends made through another. The signals are hints: each names the state it saw
 * (a log length), a receiver reads the real state itself, and a lost or repeated signal only delays or repeats a read.
 * The instance that sends a signal acts on it locally without the transport; the transport is for the others.
 *
 * <p>{@link #LOCAL_ONLY} carries nothing: a single instance, or a database without notifications (H2), where followers
 * find other instances' appends by polling the log lengths instead.
 */
public interface LiveLogSignals extends AutoCloseable {

    /** A transport that reaches no other instance. */
    LiveLogSignals LOCAL_ONLY = new LiveLogSignals() {
        @Override
        public void publish(Signal signal) {
        }

        @Override
        public void listen(Receiver receiver) {
        }

        @Override
        public boolean reachesOtherInstances() {
            return false;
        }

        @Override
        public void close() {
        }
    };

    /**
     * Sends {@code signal} to the other instances. Called once the change it announces has committed (inside a
     * transaction it would be delivered on commit).
     */
    void publish(Signal signal);

    /**
     * Starts delivering the other instances' signals to {@code receiver}, from a thread of the transport's own; the
     * receiver must not block. Returns once listening has begun, so a change committed after this returns is heard.
     */
    void listen(Receiver receiver);

    /** Whether {@link #listen} hears other instances at all; when not, receivers must poll. */
    boolean reachesOtherInstances();

    /** Stops listening and releases the transport's connection and thread. */
    @Override
    void close();

    /** What the other instances are told. */
    record Signal(Kind kind, JobId job, long length) {
        public Signal {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(job, "job");
            if (length < 0) {
                throw new IllegalArgumentException("length must not be negative");
            }
        }

        public static Signal logAppended(JobId job, long length) {
            return new Signal(Kind.LOG_APPENDED, job, length);
        }

        public static Signal jobChanged(JobId job) {
            return new Signal(Kind.JOB_CHANGED, job, 0);
        }
    }

    enum Kind {
        /** The job's log has reached {@code length} bytes (committed). */
        LOG_APPENDED,
        /** The job's status or its log's place (archived) changed. */
        JOB_CHANGED
    }

    /** Hears signals; must not block. */
    interface Receiver {
        void received(Signal signal);

        /** Signals may have been lost (the transport reconnected): everything followed must be looked at again. */
        void missedSome();
    }
}
