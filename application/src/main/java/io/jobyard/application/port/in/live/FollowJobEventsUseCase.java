package io.jobyard.application.port.in.live;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;

import java.util.OptionalLong;

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
    JobEventsFollow follow(Actor actor, ProjectRef project, OptionalLong afterSeq, JobEventSink sink);
}
