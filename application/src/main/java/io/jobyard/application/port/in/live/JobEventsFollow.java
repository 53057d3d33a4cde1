package io.jobyard.application.port.in.live;

/** A running follow of a project's job events, as its subscriber holds it. Thread-safe. */
public interface JobEventsFollow {

    /** Stops the follow (the client went away); the sink is told {@link FollowEnd#CANCELED}. Idempotent. */
    void cancel();

    /** The sink has written what it held: a follower catching up gets its next part now. */
    void drained();
}
