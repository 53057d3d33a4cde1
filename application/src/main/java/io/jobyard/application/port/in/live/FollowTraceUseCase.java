package io.jobyard.application.port.in.live;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobId;

import java.util.function.Supplier;

/**
 * Follows a job's log as it grows: the engine behind {@code GET /projects/:id/jobs/:job_id/trace} with
 * {@code Accept: text/event-stream}. The follower is a callback ({@link LiveLogSink}), never a thread: events are
 * pushed to it without blocking, and the follow ends by itself once the job has finished and its log is complete.
 */
public interface FollowTraceUseCase {

    /**
     * Starts following {@code job}'s log at {@code fromOffset} (0 for the whole log; a Last-Event-ID to resume).
     * The first event is the job's current status, then the log's bytes from {@code fromOffset}, and from then on
     * new bytes as they are committed, a status on every change, a heartbeat when nothing else was sent for a while,
     * and {@link LiveLogEvent.End} once the job is finished and its log complete.
     *
     * @throws io.jobyard.domain.error.NotFoundException            as the trace read answers (project, job)
     * @throws io.jobyard.domain.error.ForbiddenException           as the trace read answers
     * @throws io.jobyard.domain.error.BadRequestException          a negative offset
     * @throws io.jobyard.domain.error.RangeNotSatisfiableException {@code fromOffset} is past the log's current end
     *                                                              (carries the current length)
     */
    default LogFollow follow(Actor actor, ProjectRef project, JobId job, long fromOffset, LiveLogSink sink) {
        return follow(actor, () -> actor, project, job, fromOffset, sink);
    }

    /**
     * As {@link #follow(Actor, ProjectRef, JobId, long, LiveLogSink)}, and who follows is asked again once per
     * heartbeat interval: {@code current} answers the follower as it stands now (the HTTP layer authenticates the
     * request's credentials again), and when it may no longer read the log — a revoked or expired token, a blocked
     * user, a removed member, a project made private — the follow ends ({@link FollowEnd#ACCESS_ENDED}).
     *
     * @param current the follower now; throws {@link io.jobyard.domain.error.UnauthorizedException} when its
     *                credentials no longer authenticate
     */
    LogFollow follow(Actor actor, Supplier<Actor> current, ProjectRef project, JobId job, long fromOffset,
                     LiveLogSink sink);
}
