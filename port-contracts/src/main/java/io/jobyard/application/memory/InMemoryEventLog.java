package io.jobyard.application.memory;

import io.jobyard.application.port.out.EventLog;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** The event log in memory, transactional with its {@link InMemoryTransactor} (which serializes everything). */
public final class InMemoryEventLog implements EventLog {
    private final InMemoryTransactor transactor;
    private final AtomicLong ids = new AtomicLong();
    private final Rows<Long, StatusEvent> events;
    private final Rows<ProjectId, Long> lastSeq;

    public InMemoryEventLog(InMemoryTransactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.events = new Rows<>(transactor, Comparator.naturalOrder());
        this.lastSeq = new Rows<>(transactor, Comparator.naturalOrder());
    }

    @Override
    public List<StatusEvent> append(List<StatusEvent.Change> changes, Instant recordedAt) {
        Objects.requireNonNull(recordedAt, "recordedAt");
        return transactor.locked(() -> {
            List<StatusEvent> stored = new ArrayList<>(changes.size());
            for (StatusEvent.Change change : changes) {
                long seq = lastSeq.get(change.project()).orElse(0L) + 1;
                lastSeq.put(change.project(), seq);
                StatusEvent event = new StatusEvent(ids.incrementAndGet(), change.project(), seq, change.kind(),
                        change.job(), change.pipeline(), change.status(), change.previous(),
                        UUID.randomUUID().toString(), recordedAt);
                events.put(event.id(), event);
                stored.add(event);
            }
            return stored;
        });
    }

    @Override
    public long lastSeq(ProjectId project) {
        return lastSeq.get(project).orElse(0L);
    }

    @Override
    public List<StatusEvent> projectEventsAfter(ProjectId project, long afterSeq, int limit) {
        return transactor.locked(() -> events.all().stream()
                .filter(e -> e.project().equals(project) && e.seq() > afterSeq)
                .sorted(Comparator.comparingLong(StatusEvent::seq)).limit(limit).toList());
    }

    @Override
    public List<StatusEvent> after(long afterId, int limit) {
        return transactor.locked(() -> List.copyOf(events.view().tailMap(afterId, false).values()).stream()
                .limit(limit).toList());
    }

    @Override
    public List<StatusEvent> byIds(Collection<Long> ids) {
        Set<Long> wanted = new HashSet<>(ids);
        return transactor.locked(() -> events.all().stream().filter(e -> wanted.contains(e.id())).toList());
    }

    @Override
    public long lastId() {
        return transactor.locked(() -> events.view().isEmpty() ? 0L : events.view().lastKey());
    }

    @Override
    public int pruneBefore(Instant before, int limit) {
        return transactor.locked(() -> {
            List<Long> old = events.all().stream().filter(e -> e.recordedAt().isBefore(before))
                    .map(StatusEvent::id).limit(limit).toList();
            old.forEach(events::remove);
            return old.size();
        });
    }

    /** Every event, by id (for tests). */
    public List<StatusEvent> all() {
        return transactor.locked(() -> List.copyOf(events.all()));
    }

}
