package io.jobyard.application.port.in.live;

/**
 * Where a follower's job events go (the HTTP layer's server-sent-event writer). As with {@link LiveLogSink}: called
 * by one thread at a time, never blocks, and reports what it holds undelivered; a follower past the bound is cut off.
 */
public interface JobEventSink {

    /** Queues {@code event} without blocking; answers the bytes now queued and not yet written to the client. */
    long offer(JobStreamEvent event);

    /** The bytes queued and not yet written to the client. */
    long pendingBytes();

    /** The follow is over; nothing is offered after this. Called exactly once. */
    void closed(FollowEnd reason);
}
