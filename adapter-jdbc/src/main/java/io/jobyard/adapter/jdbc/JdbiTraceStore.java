package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.stream.RangeInputStream;
import io.jobyard.application.port.out.LiveLogSignals;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.JobId;
import org.jdbi.v3.core.Handle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Live logs in the database, so every instance of a multi-instance deployment appends to and reads the same log.
 * A log is a row of {@code trace_lengths} (the append point) and chunks of {@link #CHUNK_SIZE} bytes in
 * {@code trace_chunks}; chunk {@code i} holds bytes {@code [i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE)}.
 *
 * <p>An append locks the length row, checks the offset against it, writes the chunks it touches and advances the
 * length conditionally, all in one transaction. Two appends at one offset therefore have exactly one winner: the
 * other waits for the lock, then finds the length moved and is refused with the new length. Memory stays at one chunk
 * whatever the size of the append or of the log.
 *
 * <p>On PostgreSQL an append that grew the log also sends the live log notification ({@link LiveLogChannel}) as the
 * last statement of its transaction: followers on every instance hear of the bytes exactly when they commit, and
 * never of an append that rolled back.
 */
public final class JdbiTraceStore implements TraceStore {
    /** 128 KiB: GitLab's own chunk size for live traces. */
    public static final int CHUNK_SIZE = 128 * 1024;

    private final Database database;
    private final LiveLogChannel liveLog;

    JdbiTraceStore(Database database, LiveLogChannel liveLog) {
        this.database = database;
        this.liveLog = liveLog;
    }

    @Override
    public long append(JobId job, long offset, InputStream data, long maxLength) {
        liveLog.forgetAnnouncement();
        boolean joined = database.insideTransaction();
        long length;
        try {
            length = database.inTransaction(handle -> appendLocked(handle, job, offset, data, maxLength));
        } catch (FirstAppendRace race) {
            if (joined) {
                throw new ConflictException("another append to the log of job " + job + " came first");
            }
            // Another append created the length row first; the row exists now, so this attempt locks it normally.
            // Nothing was read from the stream before the race was detected.
            length = database.inTransaction(handle -> appendLocked(handle, job, offset, data, maxLength));
        }
        if (length != offset && database.dialect() == Dialect.POSTGRESQL) {
            liveLog.announcedInTransaction(job, length);
        }
        return length;
    }

    private long appendLocked(Handle handle, JobId job, long offset, InputStream data, long maxLength) {
        long current = lockLength(handle, job);
        if (offset != current) {
            throw new RangeNotSatisfiableException(current);
        }
        byte[] chunk = new byte[CHUNK_SIZE];
        long position = current;
        int index = (int) (position / CHUNK_SIZE);
        int filled = (int) (position % CHUNK_SIZE);
        boolean chunkExists = filled > 0;
        if (chunkExists) {
            int lastIndex = index;
            byte[] existing = readChunk(handle, job, lastIndex)
                    .orElseThrow(() -> new IllegalStateException(
                            "live log of job " + job + " lost chunk " + lastIndex));
            System.arraycopy(existing, 0, chunk, 0, filled);
        }
        while (true) {
            int read = readFully(data, chunk, filled);
            if (read == 0) {
                break;
            }
            position += read;
            if (position > maxLength) {
                throw new PayloadTooLargeException("the job log would exceed " + maxLength + " bytes");
            }
            writeChunk(handle, job, index, chunk, filled + read, chunkExists);
            if (filled + read < CHUNK_SIZE) {
                break;
            }
            index++;
            filled = 0;
            chunkExists = false;
        }
        if (position != current) {
            int rows = handle.createUpdate("UPDATE trace_lengths SET length = :length "
                            + "WHERE job_id = :job AND length = :expected")
                    .bind("length", position).bind("job", job.value()).bind("expected", current).execute();
            if (rows != 1) {
                // Unreachable while the row lock is held; kept so that a lost race can never be reported as a win.
                throw new RangeNotSatisfiableException(length(job));
            }
            if (database.dialect() == Dialect.POSTGRESQL) {
                handle.execute(liveLog.notify(LiveLogSignals.Signal.logAppended(job, position)));
            }
        }
        return position;
    }

    /** The current length, with the length row locked until the transaction ends (created at 0 if missing). */
    private long lockLength(Handle handle, JobId job) {
        Optional<Long> locked = handle.createQuery("SELECT length FROM trace_lengths WHERE job_id = :job FOR UPDATE")
                .bind("job", job.value()).mapTo(Long.class).findOne();
        if (locked.isPresent()) {
            return locked.get();
        }
        try {
            handle.createUpdate("INSERT INTO trace_lengths (job_id, length) VALUES (:job, 0)")
                    .bind("job", job.value()).execute();
            return 0;
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                throw new FirstAppendRace();
            }
            throw e;
        }
    }

    private static int readFully(InputStream data, byte[] chunk, int from) {
        try {
            return data.readNBytes(chunk, from, chunk.length - from);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the log data failed", e);
        }
    }

    private static void writeChunk(Handle handle, JobId job, int index, byte[] chunk, int length, boolean exists) {
        byte[] bytes = Arrays.copyOf(chunk, length);
        String sql = exists
                ? "UPDATE trace_chunks SET data = :data WHERE job_id = :job AND chunk_index = :index"
                : "INSERT INTO trace_chunks (job_id, chunk_index, data) VALUES (:job, :index, :data)";
        handle.createUpdate(sql).bind("job", job.value()).bind("index", index).bind("data", bytes).execute();
    }

    private static Optional<byte[]> readChunk(Handle handle, JobId job, int index) {
        return handle.createQuery("SELECT data FROM trace_chunks WHERE job_id = :job AND chunk_index = :index")
                .bind("job", job.value()).bind("index", index).mapTo(byte[].class).findOne();
    }

    @Override
    public long length(JobId job) {
        return database.withHandle(handle -> handle.createQuery("SELECT length FROM trace_lengths WHERE job_id = :job")
                .bind("job", job.value()).mapTo(Long.class).findOne().orElse(0L));
    }

    /** One query for all of them (the live log follow polls the lengths of every followed job at once). */
    @Override
    public Map<JobId, Long> lengths(Collection<JobId> jobs) {
        Map<JobId, Long> lengths = new HashMap<>();
        if (jobs.isEmpty()) {
            return lengths;
        }
        List<Long> ids = jobs.stream().map(JobId::value).distinct().toList();
        jobs.forEach(job -> lengths.put(job, 0L));
        database.withHandle(handle -> {
            handle.createQuery("SELECT job_id, length FROM trace_lengths WHERE job_id IN (<jobs>)")
                    .bindList("jobs", ids)
                    .map((rs, ctx) -> Map.entry(rs.getLong("job_id"), rs.getLong("length")))
                    .forEach(row -> lengths.put(JobId.of(row.getKey()), row.getValue()));
            return null;
        });
        return lengths;
    }

    @Override
    public BlobContent read(JobId job, ByteRange range) {
        long total = length(job);
        long length = range.satisfiableLengthWithin(total);
        return new BlobContent(new ChunkStream(job, range.offset(), length), total, range.offset(), length);
    }

    /**
     * Takes the length row's lock first, as an append does: a delete and an append then run one after the other. Taking
     * the chunks first (the order this had) deadlocked with an append that held the length row and went on to write a
     * chunk the delete had locked — the database then aborted one of them, and an aborted delete left the log of an
     * erased job in place — or, if the append only added a chunk, left that chunk behind without a length row.
     */
    @Override
    public void delete(JobId job) {
        database.inTransaction(handle -> {
            handle.createQuery("SELECT length FROM trace_lengths WHERE job_id = :job FOR UPDATE")
                    .bind("job", job.value()).mapTo(Long.class).findOne();
            handle.createUpdate("DELETE FROM trace_chunks WHERE job_id = :job").bind("job", job.value()).execute();
            handle.createUpdate("DELETE FROM trace_lengths WHERE job_id = :job").bind("job", job.value()).execute();
            return null;
        });
    }

    /**
     * Reads {@code remaining} bytes from {@code position}, fetching one chunk at a time when the reader gets to it —
     * only the part of it the range covers: an append reads the last few dozen bytes before its offset, a live log
     * follower the few new ones, and neither should have the database send (hex-encode, on PostgreSQL) 128 KiB for
     * them. Chunks below the length read at open time never change (appends only extend the last one), so a reader
     * sees a consistent prefix even while the job keeps logging.
     */
    private final class ChunkStream extends RangeInputStream {
        private final JobId job;
        private final long end;
        /** The bytes fetched last, and where in the log they start. */
        private byte[] fetched;
        private long fetchedFrom = -1;

        ChunkStream(JobId job, long position, long remaining) {
            super(position, remaining);
            this.job = job;
            this.end = position + remaining;
        }

        @Override
        protected int readAt(long position, byte[] target, int off, int len) throws IOException {
            if (fetched == null || position < fetchedFrom || position >= fetchedFrom + fetched.length) {
                fetch(position);
            }
            int n = (int) Math.min(len, fetchedFrom + fetched.length - position);
            System.arraycopy(fetched, (int) (position - fetchedFrom), target, off, n);
            return n;
        }

        @Override
        public int available() {
            long position = position();
            if (fetched == null || position < fetchedFrom || position >= fetchedFrom + fetched.length) {
                return 0;
            }
            return (int) Math.min(remaining(), fetchedFrom + fetched.length - position);
        }

        /** The rest of the range within the chunk that holds {@code position}. */
        private void fetch(long position) throws IOException {
            int index = (int) (position / CHUNK_SIZE);
            long chunkStart = (long) index * CHUNK_SIZE;
            int from = (int) (position - chunkStart);
            int count = (int) (Math.min(end, chunkStart + CHUNK_SIZE) - position);
            Optional<byte[]> data = database.withHandle(handle -> from == 0 && count == CHUNK_SIZE
                    ? readChunk(handle, job, index)
                    : handle.createQuery("SELECT SUBSTRING(data FROM :from FOR :count) FROM trace_chunks "
                                    + "WHERE job_id = :job AND chunk_index = :index")
                            .bind("from", from + 1).bind("count", count).bind("job", job.value())
                            .bind("index", index).mapTo(byte[].class).findOne());
            if (data.isEmpty()) {
                throw new IOException("live log of job " + job + " was removed while it was read");
            }
            if (data.get().length == 0) {
                throw new IOException("live log of job " + job + " is shorter than its recorded length");
            }
            fetched = data.get();
            fetchedFrom = position;
        }
    }

    /**
     * The length row was created concurrently, which spoils the transaction on PostgreSQL: start over. It carries no
     * cause so that {@link SqlErrors} does not turn it into a conflict on its way out of the transaction.
     */
    private static final class FirstAppendRace extends RuntimeException {
        FirstAppendRace() {
            super("the first append to a live log raced another", null, false, false);
        }
    }
}
