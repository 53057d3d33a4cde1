package io.jobyard.adapter.storage.fs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-job mutual exclusion that holds between threads, between store instances in one JVM and between processes
 * sharing a directory. Two layers, because a file lock alone is not enough inside one JVM:
 * <ol>
 *   <li>an in-process {@link ReentrantLock} per job, shared by every store on the same lock file (the JDK refuses a
 *       second overlapping file lock from the same JVM with {@code OverlappingFileLockException} instead of
 *       waiting);</li>
 *   <li>an exclusive byte-range lock on one shared lock file, on the single byte at offset {@code jobId - 1}. Region
 *       locks beyond the end of a file are allowed and do not grow it, so one never-deleted, empty file serves every
 *       job with per-job precision and no lock file ever has to be removed (removing per-job lock files races with
 *       processes waiting on them).</li>
 * </ol>
 * The lock file's channel is opened once per JVM and never closed: on POSIX, closing any descriptor of a file drops
 * all of the process's locks on it. For the same reason the channel is only used with {@link FileChannel#tryLock}
 * and {@link FileLock#release}, which are not interruptible; a blocking {@link FileChannel#lock} would close the
 * shared channel if its thread were interrupted. Contention on one job is rare (a runner sends one append at a
 * time), so polling with a short back-off costs nothing in the common case.
 */
final class JobLocks {
    private static final ConcurrentMap<Path, JobLocks> BY_LOCK_FILE = new ConcurrentHashMap<>();
    private static final long MAX_BACKOFF_MILLIS = 20;

    private final FileChannel lockFile;
    private final ConcurrentMap<Long, InProcessLock> inProcess = new ConcurrentHashMap<>();

    private JobLocks(FileChannel lockFile) {
        this.lockFile = lockFile;
    }

    /** The locks backed by {@code lockFile}, shared by every caller in this JVM that names the same file. */
    static JobLocks on(Path lockFile) {
        Path canonical;
        try {
            Files.createDirectories(lockFile.getParent());
            if (Files.notExists(lockFile)) {
                try {
                    Files.createFile(lockFile);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // Another instance created it first: the same file is what we want.
                }
            }
            canonical = lockFile.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create lock file " + lockFile, e);
        }
        return BY_LOCK_FILE.computeIfAbsent(canonical, JobLocks::open);
    }

    private static JobLocks open(Path lockFile) {
        try {
            return new JobLocks(FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open lock file " + lockFile, e);
        }
    }

    /** A held lock; closing it releases both layers. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Blocks until this thread holds job {@code jobId} against every other thread and process. */
    Held lock(long jobId) {
        InProcessLock local = inProcess.compute(jobId, (id, existing) -> {
            InProcessLock lock = existing == null ? new InProcessLock() : existing;
            lock.users++;
            return lock;
        });
        local.lock.lock();
        FileLock fileLock;
        try {
            fileLock = acquireFileLock(jobId);
        } catch (RuntimeException | Error e) {
            unlock(jobId, local);
            throw e;
        }
        return () -> {
            try {
                fileLock.release();
            } catch (IOException e) {
                throw new UncheckedIOException("releasing the lock of job " + jobId + " failed", e);
            } finally {
                unlock(jobId, local);
            }
        };
    }

    private FileLock acquireFileLock(long jobId) {
        long backoff = 1;
        try {
            while (true) {
                // Byte jobId - 1: job ids start at 1, and position + size must not overflow for Long.MAX_VALUE.
                FileLock lock = lockFile.tryLock(jobId - 1, 1, false);
                if (lock != null) {
                    return lock;
                }
                Thread.sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted waiting for the lock of job "
                    + jobId));
        } catch (IOException e) {
            throw new UncheckedIOException("locking job " + jobId + " failed", e);
        }
    }

    private void unlock(long jobId, InProcessLock local) {
        local.lock.unlock();
        inProcess.computeIfPresent(jobId, (id, lock) -> --lock.users == 0 ? null : lock);
    }

    /** Counted so the map only holds jobs that someone is appending to right now. */
    private static final class InProcessLock {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }
}
