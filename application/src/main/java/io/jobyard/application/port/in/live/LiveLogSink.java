package io.jobyard.application.port.in.live;

/** Where a live log follower's events go ({@link FollowSink}: one thread at a time, never blocking, bounded). */
public interface LiveLogSink extends FollowSink<LiveLogEvent> {
}
