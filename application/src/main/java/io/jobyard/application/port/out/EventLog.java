package io.jobyard.application.port.out;

import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The durable log of job and pipeline status changes (an outbox): every change is appended inside the transaction
 * that makes it, so the log holds a change exactly when the change committed. Each project numbers its events
 * 1, 2, 3... in commit order; readers resume from a number (issue 16's event stream) or tail the whole log.
 */
public interface EventLog {

    /**
     * Records {@code changes} in the caller's transaction, in order, giving each the project's next sequence number.
     * Concurrent appenders to one project are serialized until their commits, so a project's sequence numbers become
     * visible in increasing order and none is ever committed behind one already visible.
     *
     * @param recordedAt the time the changes are recorded at
     * @return the stored events, in the given order
     */
    List<StatusEvent> append(List<StatusEvent.Change> changes, Instant recordedAt);

    /** A project's events with a sequence number above {@code afterSeq}, oldest first. */
    List<StatusEvent> projectEventsAfter(ProjectId project, long afterSeq, int limit);

    /**
     * The highest sequence number {@code project} has committed, 0 when it has none; it stays when its events are
     * pruned, so a reader that asks for events after an older number can tell that some were pruned.
     */
    long lastSeq(ProjectId project);

    /**
     * Events of every project with an id above {@code afterId}, by id: a tailer's next page. Ids are handed out in
     * order but may commit out of order across projects, so a tailer also asks again for the ids it skipped
     * ({@link #byIds}).
     */
    List<StatusEvent> after(long afterId, int limit);

    /** The events with these ids that exist (committed and not pruned), by id. */
    List<StatusEvent> byIds(Collection<Long> ids);

    /** The highest id handed out so far by a committed event, 0 when the log is empty: where a new tailer starts. */
    long lastId();

    /**
     * Deletes up to {@code limit} events recorded before {@code before}, oldest first; each project's sequence goes on
     * from where it was.
     *
     * @return how many were deleted
     */
    int pruneBefore(Instant before, int limit);
}
