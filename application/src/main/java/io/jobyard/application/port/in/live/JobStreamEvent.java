package io.jobyard.application.port.in.live;

import java.util.Objects;

/** What a follower of a project's job events is told. */
public sealed interface JobStreamEvent {

    /**
     * A job's status changed and the change committed.
     *
     * @param seq  the project's event number (increasing; the numbers of pipeline events in between are not told)
     * @param json GitLab's job hook payload ({@code object_kind: "build"}), the JSON webhooks send for the change
     */
    record Job(long seq, String json) implements JobStreamEvent {
        public Job {
            Objects.requireNonNull(json, "json");
        }
    }

    /**
     * The follower asked to resume after a number whose successors are no longer all kept (or that was never handed
     * out): what happened in between cannot be told. It should read the jobs afresh; the follow goes on after
     * {@code seq}, the project's number at the time of the reset.
     */
    record Reset(long seq) implements JobStreamEvent {
    }

    /** Nothing happened for the heartbeat interval. */
    record Heartbeat() implements JobStreamEvent {
    }

    Heartbeat HEARTBEAT = new Heartbeat();
}
