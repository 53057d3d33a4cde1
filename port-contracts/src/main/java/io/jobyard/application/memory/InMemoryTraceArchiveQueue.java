package io.jobyard.application.memory;

import io.jobyard.application.port.out.TraceArchiveQueue;
import io.jobyard.domain.job.JobId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The trace archive queue in memory, taking part in {@link InMemoryTransactor}'s transactions. */
public final class InMemoryTraceArchiveQueue implements TraceArchiveQueue {
    private final InMemoryTransactor transactor;
    private final Map<JobId, Row> rows = new LinkedHashMap<>();

    private record Row(Entry entry, String owner, Instant leaseUntil, String error) {
    }

    public InMemoryTraceArchiveQueue(InMemoryTransactor transactor) {
        this.transactor = transactor;
    }

    @Override
    public void enqueue(JobId job, Instant now) {
        transactor.locked(() -> {
            if (rows.containsKey(job)) {
                return;
            }
            rows.put(job, new Row(new Entry(job, 0, now, now), null, null, null));
            transactor.onRollback(() -> rows.remove(job));
        });
    }

    @Override
    public List<Entry> claimDue(Instant now, int limit, String owner, Duration lease) {
        return transactor.locked(() -> {
            List<Row> due = rows.values().stream()
                    .filter(row -> !row.entry().nextAttemptAt().isAfter(now))
                    .filter(row -> row.leaseUntil() == null || row.leaseUntil().isBefore(now))
                    .sorted(Comparator.comparing((Row row) -> row.entry().nextAttemptAt())
                            .thenComparing(row -> row.entry().job().value()))
                    .limit(Math.max(0, limit))
                    .toList();
            List<Entry> claimed = new ArrayList<>(due.size());
            for (Row row : due) {
                rows.put(row.entry().job(), new Row(row.entry(), owner, now.plus(lease), row.error()));
                transactor.onRollback(() -> rows.put(row.entry().job(), row));
                claimed.add(row.entry());
            }
            return claimed;
        });
    }

    @Override
    public boolean complete(JobId job, String owner) {
        return transactor.locked(() -> {
            Row row = rows.get(job);
            if (row == null || !owner.equals(row.owner())) {
                return false;
            }
            rows.remove(job);
            transactor.onRollback(() -> rows.put(job, row));
            return true;
        });
    }

    @Override
    public boolean reschedule(JobId job, String owner, Instant nextAttemptAt, int attempts, String error) {
        return transactor.locked(() -> {
            Row row = rows.get(job);
            if (row == null || !owner.equals(row.owner())) {
                return false;
            }
            Entry entry = new Entry(job, attempts, nextAttemptAt, row.entry().queuedAt());
            String kept = error == null || error.length() <= Entry.MAX_ERROR_LENGTH ? error
                    : error.substring(0, Entry.MAX_ERROR_LENGTH);
            rows.put(job, new Row(entry, null, null, kept));
            transactor.onRollback(() -> rows.put(job, row));
            return true;
        });
    }

    @Override
    public Set<JobId> queued(Collection<JobId> jobs) {
        return transactor.locked(() -> {
            Set<JobId> found = new HashSet<>();
            for (JobId job : jobs) {
                if (rows.containsKey(job)) {
                    found.add(job);
                }
            }
            return found;
        });
    }

    @Override
    public long size() {
        return transactor.locked(() -> (long) rows.size());
    }
}
