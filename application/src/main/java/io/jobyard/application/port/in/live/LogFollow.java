package io.jobyard.application.port.in.live;

/** A running follow, as its subscriber holds it. Thread-safe. */
public interface LogFollow {

    /** Stops the follow (the client disconnected); the sink is told {@link FollowEnd#CANCELED}. Idempotent. */
    void cancel();

    /**
     * The sink has written what it held: a follower catching up on an existing log gets its next part now rather
     * than on the next periodic check.
     */
    void drained();

    /** The offset after the last byte offered to the sink. */
    long offset();
}
