package io.jobyard.application.port.in.live;

/**
 * Where a follower's events of type {@code E} go: the HTTP layer's server-sent-event writer. Every call comes from one
 * thread at a time for a given sink (never two at once), and none may block: {@link #offer} queues the event and
 * answers at once.
 *
 * <p>Backpressure is the sink's answer: how many bytes it holds that the client has not taken yet. A follower that
 * lets them pile up past the configured bound is cut off ({@link FollowEnd#TOO_SLOW}) rather than buffered for
 * without bound; the client may reconnect and resume from the last position it got.
 *
 * @param <E> the events followed
 */
public interface FollowSink<E> {
    /**
     * Queues {@code event} for the client without blocking.
     *
     * @return the bytes now queued and not yet written to the client, this event's included
     */
    long offer(E event);

    /** The bytes queued and not yet written to the client. */
    long pendingBytes();

    /** The follow is over; nothing is offered after this. Called exactly once. */
    void closed(FollowEnd reason);
}
