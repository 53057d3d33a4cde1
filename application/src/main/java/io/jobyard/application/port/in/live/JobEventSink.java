package io.jobyard.application.port.in.live;

/** Where a follower's job events go ({@link FollowSink}: one thread at a time, never blocking, bounded). */
public interface JobEventSink extends FollowSink<JobStreamEvent> {
}
