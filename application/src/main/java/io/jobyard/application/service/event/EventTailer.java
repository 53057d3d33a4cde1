package io.jobyard.application.service.event;

import io.jobyard.application.port.out.EventLog;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.project.ProjectId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Follows the event log of every project from one position on, for one instance: each {@link #poll} answers the
 * events committed since the last one, each exactly once, a project's in number order, whichever instance wrote them.
 *
 * <p>Event ids are drawn in order but commit in a different order across projects, so reading "ids above the last one
 * seen" alone would skip an id still uncommitted when a higher one was read. The tailer remembers such skipped ids as
 * holes and asks for them again on each poll until they appear or {@code holeLifetime} passes (an id whose transaction
 * rolled back never appears). Within a project, numbers and ids rise together (the log draws both under the project's
 * lock), so a hole filled late never belongs before an event of its project already told.
 */
public final class EventTailer {
    private static final int PAGE = 500;
    /** A jump of ids larger than this is not remembered hole by hole (pruned history, a restored backup). */
    private static final long MAX_HOLES = 10_000;

    private final EventLog log;
    private final long holeLifetimeNanos;
    private final LongSupplier nanoTime;
    private long lastId;
    /** Skipped ids and when they were first missed. */
    private final Map<Long, Long> holes = new LinkedHashMap<>();
    private final Map<ProjectId, Long> lastSeq = new HashMap<>();

    /** Starts after the log's current end: only events committed from now on are told. */
    public EventTailer(EventLog log, Duration holeLifetime) {
        this(log, holeLifetime, System::nanoTime, log.lastId());
    }

    EventTailer(EventLog log, Duration holeLifetime, LongSupplier nanoTime, long startAfterId) {
        this.log = Objects.requireNonNull(log, "log");
        this.holeLifetimeNanos = holeLifetime.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.lastId = startAfterId;
    }

    /** The events committed since the last poll, by id. */
    public synchronized List<StatusEvent> poll() {
        long now = nanoTime.getAsLong();
        List<StatusEvent> found = new ArrayList<>();
        if (!holes.isEmpty()) {
            found.addAll(log.byIds(List.copyOf(holes.keySet())));
            found.forEach(event -> holes.remove(event.id()));
            holes.values().removeIf(missedAt -> now - missedAt > holeLifetimeNanos);
        }
        while (true) {
            List<StatusEvent> page = log.after(lastId, PAGE);
            for (StatusEvent event : page) {
                if (event.id() > lastId + 1 && event.id() - lastId - 1 <= MAX_HOLES) {
                    for (long missing = lastId + 1; missing < event.id(); missing++) {
                        holes.put(missing, now);
                    }
                }
                lastId = Math.max(lastId, event.id());
                found.add(event);
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        found.sort(Comparator.comparingLong(StatusEvent::id));
        List<StatusEvent> fresh = new ArrayList<>(found.size());
        for (StatusEvent event : found) {
            Long seen = lastSeq.get(event.project());
            if (seen == null || event.seq() > seen) {
                lastSeq.put(event.project(), event.seq());
                fresh.add(event);
            }
        }
        return fresh;
    }

    /** How many skipped ids are being watched for (for tests and metrics). */
    public synchronized int holes() {
        return holes.size();
    }

}
