package io.jobyard.application.port.in.live;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;

import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Follows a project's job status changes as they commit: the engine behind {@code GET /projects/:id/jobs/events}.
 * As with {@link FollowTraceUseCase}, the follower is a callback that is never blocked on, not a thread.
 */
public interface FollowJobEventsUseCase {

    /**
     * Starts following {@code project}'s job events. Without {@code afterSeq} the follow starts at the project's
     * current end (only changes from now on); with it, every job event numbered above it is told first, in order,
     * unless some of them were pruned from the event log (older than the retention window) or the number was never
     * handed out: then a {@link JobStreamEvent.Reset} comes first and the follow goes on from the current end.
     *
     * @throws io.jobyard.domain.error.NotFoundException  the project is missing or not visible (as the jobs list)
     * @throws io.jobyard.domain.error.ForbiddenException the actor may not read the project's jobs, or a job token of
     *                                                    another project (as the jobs list)
     */
    default JobEventsFollow follow(Actor actor, ProjectRef project, OptionalLong afterSeq, JobEventSink sink) {
        return follow(actor, () -> actor, project, afterSeq, sink);
    }

    /**
     * As {@link #follow(Actor, ProjectRef, OptionalLong, JobEventSink)}, and who follows is asked again once per
     * heartbeat interval (see {@link FollowTraceUseCase#follow(Actor, Supplier, ProjectRef,
     * io.jobyard.domain.job.JobId, long, LiveLogSink)}): a follower that may no longer list the project's jobs is cut
     * off ({@link FollowEnd#ACCESS_ENDED}).
     */
    JobEventsFollow follow(Actor actor, Supplier<Actor> current, ProjectRef project, OptionalLong afterSeq,
                           JobEventSink sink);
}
