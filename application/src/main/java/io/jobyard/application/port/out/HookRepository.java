package io.jobyard.application.port.out;

import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.hook.HookId;
import io.jobyard.domain.hook.ProjectHook;
import io.jobyard.domain.project.ProjectId;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Project webhooks, the queue of their deliveries and the log of each delivery attempt (GitLab's {@code web_hooks},
 * its Sidekiq queue, and {@code web_hook_logs}).
 *
 * <p>The queue is safe on several instances sharing one database: {@link #claimDue} leases each delivery to one
 * claimer at a time, and the lease runs out on its own when that claimer dies, so the delivery is claimed again.
 */
public interface HookRepository {

    HookId nextId();

    ProjectHook insert(ProjectHook hook);

    /**
     * Stores the hook's settings and failure state.
     *
     * @throws io.jobyard.domain.error.NotFoundException when the hook is gone
     */
    ProjectHook update(ProjectHook hook);

    /** Stores only the failure state (recent failures, disabled until) of a hook that still exists. */
    void updateFailureState(HookId id, int recentFailures, Instant disabledUntil);

    /** Deletes the hook with its queued deliveries and its log; false when there was no such hook. */
    boolean delete(HookId id);

    Optional<ProjectHook> findById(HookId id);

    /** A project's hooks by id. */
    List<ProjectHook> listForProject(ProjectId project, long offset, int limit);

    long countForProject(ProjectId project);

    /** A keyset page of a project's hooks by id: those after {@code after} (null: from the first). */
    List<ProjectHook> listForProjectAfter(ProjectId project, HookId after, int limit);

    // ------------------------------------------------------------------------------------------------ deliveries

    /**
     * Queues, in the caller's transaction, one delivery of each event to every hook of the event's project that
     * subscribes to its kind (job or pipeline events) and is not permanently disabled.
     *
     * @return how many deliveries were queued
     */
    default int enqueue(List<StatusEvent> events, Instant now) {
        if (events.isEmpty()) {
            return 0;
        }
        Set<ProjectId> projects = new HashSet<>();
        events.forEach(event -> projects.add(event.project()));
        return subscribers(projects).enqueue(events, now);
    }

    /**
     * Reads, in the caller's transaction, the hooks of {@code projects} that subscribe to job or pipeline events and
     * are not permanently disabled, for events to be queued to them later in the same transaction: the event log
     * holds its per-project locks from numbering the events until the commit, so what can be read before is.
     */
    Subscribers subscribers(Set<ProjectId> projects);

    /** The hooks of some projects that take job or pipeline events, as read by {@link #subscribers}. */
    interface Subscribers {
        /**
         * Queues one delivery of each event to every one of these hooks of the event's project that subscribes to
         * its kind, as {@link HookRepository#enqueue} does.
         *
         * @return how many deliveries were queued
         * @throws IllegalArgumentException for an event of a project whose hooks were not read
         */
        int enqueue(List<StatusEvent> events, Instant now);
    }

    /**
     * Leases up to {@code limit} deliveries to {@code owner} until {@code now + lease}: pending ones that are due, of
     * hooks that are executable at {@code now}, each the oldest pending one of its lane (a hook's deliveries about one
     * job, or one pipeline, go out one after the other, in the order they were queued). A delivery leased to another
     * claimer is not taken until its lease has run out.
     *
     * @return the leased deliveries, oldest first
     */
    List<Delivery> claimDue(Instant now, int limit, String owner, Duration lease);

    /** Marks a leased delivery done; false when the lease was lost meanwhile (another claimer then delivers it). */
    boolean markDelivered(long deliveryId, String owner, Instant at);

    /**
     * Returns a leased delivery to the queue for another attempt at {@code nextAttemptAt}, keeping the body it was
     * sent with so every attempt sends the same bytes.
     */
    boolean reschedule(long deliveryId, String owner, Instant nextAttemptAt, int attempts, String requestBody);

    /**
     * Makes the hook's waiting deliveries due at {@code now}: after an edit enabled a disabled hook, what waited out
     * its disabling goes out at once.
     *
     * @return how many deliveries became due
     */
    int releaseWaiting(HookId hook, Instant now);

    /** How many deliveries of the hook wait to be delivered. */
    long pendingCount(HookId hook);

    /** Deletes up to {@code limit} delivered deliveries delivered before {@code before}. */
    int pruneDelivered(Instant before, int limit);

    // ------------------------------------------------------------------------------------------------------ logs

    HookLog log(HookLog entry);

    /** A hook's log, newest first, filtered by response status (empty filters match everything). */
    List<HookLog> logs(HookId hook, StatusFilter filter, long offset, int limit);

    long countLogs(HookId hook, StatusFilter filter);

    /** A keyset page of a hook's log, newest first: the entries older than {@code beforeId} (null: the newest). */
    List<HookLog> logsBefore(HookId hook, StatusFilter filter, Long beforeId, int limit);

    /** Deletes up to {@code limit} log entries written before {@code before}. */
    int pruneLogs(Instant before, int limit);

    /**
     * One queued delivery of one event to one hook.
     *
     * @param lane           the hook's ordering lane: deliveries of one lane go out in queue order
     * @param idempotencyKey the same for every attempt of this delivery (GitLab's {@code Idempotency-Key})
     * @param requestBody    the body earlier attempts sent, or null before the first
     */
    record Delivery(long id, HookId hook, String lane, StatusEvent event, String idempotencyKey, int attempts,
                    String requestBody, Instant createdAt) {
        public Delivery {
            Objects.requireNonNull(hook, "hook");
            Objects.requireNonNull(lane, "lane");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        /** The lane of an event: its job, or its pipeline. */
        public static String laneOf(StatusEvent event) {
            return event.job() != null ? "job:" + event.job().value() : "pipeline:" + event.pipeline().value();
        }
    }

    /**
     * One attempt to deliver, as GitLab's {@code WebHookLog} keeps it.
     *
     * @param responseStatus    the HTTP status code as text, or {@code internal error} when no response came
     * @param statusCode        the HTTP status code, or null when no response came
     * @param executionDuration seconds
     */
    record HookLog(long id, HookId hook, String trigger, String url, Map<String, String> requestHeaders,
                   String requestData, Map<String, String> responseHeaders, String responseBody,
                   String responseStatus, Integer statusCode, double executionDuration, String internalErrorMessage,
                   Instant createdAt) {
        public HookLog {
            Objects.requireNonNull(hook, "hook");
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(url, "url");
            requestHeaders = Map.copyOf(requestHeaders);
            responseHeaders = Map.copyOf(responseHeaders);
            Objects.requireNonNull(responseStatus, "responseStatus");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        public HookLog withId(long newId) {
            return new HookLog(newId, hook, trigger, url, requestHeaders, requestData, responseHeaders, responseBody,
                    responseStatus, statusCode, executionDuration, internalErrorMessage, createdAt);
        }
    }

    /**
     * GitLab's {@code status} filter of a hook's events: exact codes, and code ranges (successful 200-299, client
     * failure 400-499, server failure 500-599). Empty matches every entry.
     */
    record StatusFilter(Set<Integer> codes, Set<Range> ranges) {
        public static final StatusFilter ALL = new StatusFilter(Set.of(), Set.of());

        public StatusFilter {
            codes = Set.copyOf(codes);
            ranges = Set.copyOf(ranges);
        }

        public boolean isEmpty() {
            return codes.isEmpty() && ranges.isEmpty();
        }

        public boolean matches(Integer statusCode) {
            if (isEmpty()) {
                return true;
            }
            if (statusCode == null) {
                return false;
            }
            return codes.contains(statusCode) || ranges.stream().anyMatch(r -> r.contains(statusCode));
        }

        /** An inclusive range of status codes. */
        public record Range(int from, int to) {
            public boolean contains(int code) {
                return code >= from && code <= to;
            }
        }
    }
}
