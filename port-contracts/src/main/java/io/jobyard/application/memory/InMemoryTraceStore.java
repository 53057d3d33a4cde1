package io.jobyard.application.memory;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.JobId;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live logs in memory, kept in fixed-size chunks as the real stores keep them (GitLab: 128 KiB), so the contract's
 * chunk-boundary cases exercise the same arithmetic. An append is atomic: it happens at the current length or not at
 * all, and a body that fails or outgrows the limit half-way leaves the log as it was. Appends to one log are
 * serialized on it; reads copy only the range they were asked for. Thread-safe.
 */
public final class InMemoryTraceStore implements TraceStore {
    public static final int DEFAULT_CHUNK_SIZE = 128 * 1024;

    private final int chunkSize;
    private final Map<JobId, Log> logs = new ConcurrentHashMap<>();

    public InMemoryTraceStore() {
        this(DEFAULT_CHUNK_SIZE);
    }

    public InMemoryTraceStore(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive");
        }
        this.chunkSize = chunkSize;
    }

    /** One job's log. {@code deleted} marks a log removed while an append waited for it. Guarded by itself. */
    private final class Log {
        final List<byte[]> chunks = new ArrayList<>();
        long length;
        boolean deleted;

        void truncate(long newLength) {
            length = newLength;
            int keep = (int) ((newLength + chunkSize - 1) / chunkSize);
            while (chunks.size() > keep) {
                chunks.remove(chunks.size() - 1);
            }
        }

        void copy(long from, byte[] target) {
            int written = 0;
            while (written < target.length) {
                long position = from + written;
                byte[] chunk = chunks.get((int) (position / chunkSize));
                int inChunk = (int) (position % chunkSize);
                int n = Math.min(chunkSize - inChunk, target.length - written);
                System.arraycopy(chunk, inChunk, target, written, n);
                written += n;
            }
        }
    }

    @Override
    public long append(JobId job, long offset, InputStream data, long maxLength) {
        while (true) {
            Log log = logs.computeIfAbsent(job, j -> new Log());
            synchronized (log) {
                if (log.deleted) {
                    continue;
                }
                if (offset != log.length) {
                    throw new RangeNotSatisfiableException(log.length);
                }
                long before = log.length;
                try (InputStream in = data) {
                    byte[] buffer = new byte[8192];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        if (log.length + n > maxLength) {
                            log.truncate(before);
                            throw new PayloadTooLargeException("job log would exceed " + maxLength + " bytes");
                        }
                        write(log, buffer, n);
                    }
                } catch (IOException e) {
                    log.truncate(before);
                    throw new UncheckedIOException(e);
                } catch (RuntimeException e) {
                    log.truncate(before);
                    throw e;
                }
                return log.length;
            }
        }
    }

    private void write(Log log, byte[] buffer, int count) {
        int written = 0;
        while (written < count) {
            int inChunk = (int) (log.length % chunkSize);
            if (inChunk == 0 && log.chunks.size() * (long) chunkSize == log.length) {
                log.chunks.add(new byte[chunkSize]);
            }
            byte[] chunk = log.chunks.get((int) (log.length / chunkSize));
            int n = Math.min(chunkSize - inChunk, count - written);
            System.arraycopy(buffer, written, chunk, inChunk, n);
            written += n;
            log.length += n;
        }
    }

    @Override
    public long length(JobId job) {
        Log log = logs.get(job);
        if (log == null) {
            return 0;
        }
        synchronized (log) {
            return log.deleted ? 0 : log.length;
        }
    }

    @Override
    public BlobContent read(JobId job, ByteRange range) {
        Log log = logs.get(job);
        if (log == null) {
            return slice(new byte[0], 0, range);
        }
        synchronized (log) {
            long length = log.deleted ? 0 : log.length;
            if (range.offset() > length) {
                throw new RangeNotSatisfiableException(length);
            }
            byte[] bytes = new byte[(int) range.lengthWithin(length)];
            log.copy(range.offset(), bytes);
            return new BlobContent(new ByteArrayInputStream(bytes), length, range.offset(), bytes.length);
        }
    }

    @Override
    public void delete(JobId job) {
        Log log = logs.get(job);
        if (log == null) {
            return;
        }
        synchronized (log) {
            log.deleted = true;
            logs.remove(job, log);
        }
    }

    /** Test helper: how many chunks the job's log occupies. */
    public int chunkCount(JobId job) {
        Log log = logs.get(job);
        if (log == null) {
            return 0;
        }
        synchronized (log) {
            return log.chunks.size();
        }
    }

    private static BlobContent slice(byte[] bytes, long total, ByteRange range) {
        if (range.offset() > total) {
            throw new RangeNotSatisfiableException(total);
        }
        return new BlobContent(new ByteArrayInputStream(bytes), total, range.offset(), 0);
    }
}
