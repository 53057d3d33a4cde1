package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.TraceArchiveQueue;
import io.jobyard.domain.job.JobId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The trace archive queue in {@code trace_archive_queue}. Claiming is a compare-and-set on the lease: the candidates
 * are read, then each is leased by an {@code UPDATE} that repeats the "due and not leased" condition, so of two
 * claimers racing for a row exactly one changes it (the other's update waits for the row lock and then finds the
 * condition false, on PostgreSQL and on H2 alike). On PostgreSQL the candidates are read {@code FOR UPDATE SKIP
 * LOCKED}, so concurrent claimers take different rows instead of queueing behind one another; H2 has no lock to skip
 * past and relies on the compare-and-set alone, which is correct, only less parallel.
 */
final class JdbiTraceArchiveQueue implements TraceArchiveQueue {
    private static final String DUE = "next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now)";

    private final Database database;

    JdbiTraceArchiveQueue(Database database) {
        this.database = database;
    }

    @Override
    public void enqueue(JobId job, Instant now) {
        boolean postgres = database.dialect() == Dialect.POSTGRESQL;
        // A job completes once, so a second entry for it is all but impossible; should one come, the first one stands.
        // PostgreSQL says so with ON CONFLICT, which keeps the caller's transaction usable; H2 checks first.
        String sql = postgres
                ? "INSERT INTO trace_archive_queue (job_id, attempts, next_attempt_at, queued_at) "
                + "VALUES (:job, 0, :now, :now) ON CONFLICT (job_id) DO NOTHING"
                : "INSERT INTO trace_archive_queue (job_id, attempts, next_attempt_at, queued_at) "
                + "SELECT :job, 0, :now, :now FROM (VALUES (1)) one(x) "
                + "WHERE NOT EXISTS (SELECT 1 FROM trace_archive_queue WHERE job_id = :job)";
        database.inTransaction(handle -> handle.createUpdate(sql)
                .bind("job", job.value()).bind("now", Values.instant(now)).execute());
    }

    @Override
    public List<Entry> claimDue(Instant now, int limit, String owner, Duration lease) {
        boolean postgres = database.dialect() == Dialect.POSTGRESQL;
        return database.inTransaction(handle -> {
            List<Entry> found = handle.createQuery("SELECT job_id, attempts, next_attempt_at, queued_at "
                            + "FROM trace_archive_queue WHERE " + DUE + " ORDER BY next_attempt_at, job_id "
                            + "LIMIT :limit" + (postgres ? " FOR UPDATE SKIP LOCKED" : ""))
                    .bind("now", Values.instant(now)).bind("limit", Math.max(0, limit))
                    .map((rs, ctx) -> new Entry(JobId.of(rs.getLong("job_id")), rs.getInt("attempts"),
                            Values.instant(rs, "next_attempt_at"), Values.instant(rs, "queued_at")))
                    .list();
            List<Entry> claimed = new ArrayList<>(found.size());
            for (Entry entry : found) {
                int rows = handle.createUpdate("UPDATE trace_archive_queue SET lease_owner = :owner, "
                                + "lease_until = :until WHERE job_id = :job AND " + DUE)
                        .bind("owner", owner).bind("until", Values.instant(now.plus(lease)))
                        .bind("job", entry.job().value()).bind("now", Values.instant(now)).execute();
                if (rows == 1) {
                    claimed.add(entry);
                }
            }
            return claimed;
        });
    }

    @Override
    public boolean complete(JobId job, String owner) {
        return database.withHandle(handle -> handle.createUpdate("DELETE FROM trace_archive_queue "
                        + "WHERE job_id = :job AND lease_owner = :owner")
                .bind("job", job.value()).bind("owner", owner).execute() == 1);
    }

    @Override
    public boolean reschedule(JobId job, String owner, Instant nextAttemptAt, int attempts, String error) {
        String kept = error == null || error.length() <= Entry.MAX_ERROR_LENGTH ? error
                : error.substring(0, Entry.MAX_ERROR_LENGTH);
        return database.withHandle(handle -> handle.createUpdate("UPDATE trace_archive_queue SET "
                        + "next_attempt_at = :next, attempts = :attempts, last_error = :error, lease_owner = NULL, "
                        + "lease_until = NULL WHERE job_id = :job AND lease_owner = :owner")
                .bind("next", Values.instant(nextAttemptAt)).bind("attempts", attempts).bind("error", kept)
                .bind("job", job.value()).bind("owner", owner).execute() == 1);
    }

    @Override
    public Set<JobId> queued(Collection<JobId> jobs) {
        if (jobs.isEmpty()) {
            return Set.of();
        }
        List<Long> ids = jobs.stream().map(JobId::value).distinct().toList();
        return database.withHandle(handle -> {
            Set<JobId> found = new HashSet<>();
            handle.createQuery("SELECT job_id FROM trace_archive_queue WHERE job_id IN (<ids>)")
                    .bindList("ids", ids).mapTo(Long.class).forEach(id -> found.add(JobId.of(id)));
            return found;
        });
    }

    @Override
    public long size() {
        return database.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM trace_archive_queue")
                .mapTo(Long.class).one());
    }
}
