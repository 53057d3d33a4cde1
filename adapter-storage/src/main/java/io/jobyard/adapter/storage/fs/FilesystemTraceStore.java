package io.jobyard.adapter.storage.fs;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.JobId;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Live job logs on the local filesystem, in fixed-size chunks as GitLab keeps them ({@value #CHUNK_SIZE} bytes).
 *
 * <h2>Layout</h2>
 * <pre>
 *   {root}/traces.lock          byte-range lock file shared by all jobs (see {@link JobLocks}); never deleted
 *   {root}/{jobId}/length       the committed length (see {@link TraceLengthRecord})
 *   {root}/{jobId}/{n}.chunk    bytes [n * CHUNK_SIZE, (n + 1) * CHUNK_SIZE) of the log
 * </pre>
 *
 * <h2>Crash safety: the committed length is the truth</h2>
 * Chunk files may hold bytes past the committed length (an append that crashed or failed half-way); those bytes
 * are never log. An append, holding the job's lock:
 * <ol>
 *   <li>reads the committed length {@code L} and refuses any other offset with {@code 416(L)}, writing nothing;</li>
 *   <li>cuts chunk bytes past {@code L} left over from a failed append;</li>
 *   <li>streams the data into the chunks from {@code L}, refusing with 413 before writing past {@code maxLength};</li>
 *   <li>fsyncs every chunk it wrote, and the job directory when it created a file there;</li>
 *   <li>only then commits {@code L + n} to the length file (one checksummed slot write + fsync) and returns.</li>
 * </ol>
 * A crash before step 5 leaves {@code L} in force and the new bytes invisible; a crash during step 5 leaves a slot
 * that fails its checksum, so {@code L} again; after step 5 the bytes are on disk before the length that names them.
 * So no reader, before or after a restart, ever sees a byte that was not acknowledged (or about to be), and the
 * runner's retry at {@code L} lands where it should.
 *
 * <h2>Concurrency</h2>
 * Appends to one job are serialized by {@link JobLocks} (in-process lock + file region lock, so two instances or two
 * processes sharing the directory agree); the length check happens under the lock against the length on disk, so of
 * two appends at the same offset exactly one wins and the other gets the new length. Reads take no lock: they read
 * the committed length first and then only bytes below it, which no append changes.
 */
public final class FilesystemTraceStore implements TraceStore {
    /** GitLab's {@code Ci::BuildTraceChunk::CHUNK_SIZE}. Fixed: every process sharing a directory must agree on it. */
    public static final int CHUNK_SIZE = 128 * 1024;

    private static final String CHUNK_SUFFIX = ".chunk";
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path root;
    private final JobLocks locks;

    public FilesystemTraceStore(Path directory) {
        this.root = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create trace directory " + root, e);
        }
        this.locks = JobLocks.on(root.resolve("traces.lock"));
    }

    @Override
    public long append(JobId job, long offset, InputStream data, long maxLength) {
        Objects.requireNonNull(data, "data");
        Path directory = jobDirectory(job);
        JobLocks.Held held = locks.lock(job.value());
        try {
            TraceLengthRecord committed = TraceLengthRecord.read(directory.resolve(TraceLengthRecord.FILE_NAME));
            if (offset != committed.length()) {
                throw new RangeNotSatisfiableException(committed.length());
            }
            if (Files.isDirectory(directory)) {
                discardUncommittedTail(directory, committed.length());
            }
            Written written;
            try {
                written = writeChunks(directory, committed.length(), data, maxLength - committed.length());
            } catch (RuntimeException | IOException | Error e) {
                discardQuietly(directory, committed.length(), e);
                throw e;
            }
            if (written.bytes() == 0) {
                return committed.length();
            }
            if (written.createdDirectory()) {
                Durability.forceDirectory(root);
            }
            if (written.createdFile()) {
                Durability.forceDirectory(directory);
            }
            Path lengthFile = directory.resolve(TraceLengthRecord.FILE_NAME);
            boolean createsLengthFile = Files.notExists(lengthFile);
            TraceLengthRecord next = committed.commit(lengthFile, committed.length() + written.bytes());
            if (createsLengthFile) {
                Durability.forceDirectory(directory);
            }
            return next.length();
        } catch (IOException e) {
            throw new UncheckedIOException("appending to the log of job " + job + " failed", e);
        } finally {
            held.close();
        }
    }

    @Override
    public long length(JobId job) {
        try {
            return TraceLengthRecord.read(jobDirectory(job).resolve(TraceLengthRecord.FILE_NAME)).length();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the log length of job " + job + " failed", e);
        }
    }

    @Override
    public BlobContent read(JobId job, ByteRange range) {
        long length = length(job);
        long readLength = range.satisfiableLengthWithin(length);
        Path directory = jobDirectory(job);
        return new BlobContent(new ChunkedInputStream(index -> chunkFile(directory, index), CHUNK_SIZE,
                range.offset(), readLength), length, range.offset(), readLength);
    }

    @Override
    public void delete(JobId job) {
        Path directory = jobDirectory(job);
        JobLocks.Held held = locks.lock(job.value());
        try {
            if (!Files.isDirectory(directory)) {
                return;
            }
            // The length file goes first: from then on the log reads as empty, whatever chunks are still there.
            Files.deleteIfExists(directory.resolve(TraceLengthRecord.FILE_NAME));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting the log of job " + job + " failed", e);
        } finally {
            held.close();
        }
    }

    private Written writeChunks(Path directory, long start, InputStream data, long allowed) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long position = start;
        long written = 0;
        boolean createdDirectory = false;
        boolean createdFile = false;
        long openIndex = -1;
        FileChannel chunk = null;
        try {
            int n;
            while ((n = data.read(buffer)) != -1) {
                if (written + n > allowed) {
                    throw new PayloadTooLargeException("the job log would exceed its limit of "
                            + (start + allowed) + " bytes");
                }
                int done = 0;
                while (done < n) {
                    long index = position / CHUNK_SIZE;
                    if (index != openIndex) {
                        if (chunk != null) {
                            chunk.force(false);
                            chunk.close();
                        }
                        if (!createdDirectory && !Files.isDirectory(directory)) {
                            // Only now, with bytes to write: an empty or refused append leaves no trace on disk.
                            Files.createDirectories(directory);
                            createdDirectory = true;
                        }
                        Path file = chunkFile(directory, index);
                        createdFile |= Files.notExists(file);
                        chunk = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        openIndex = index;
                    }
                    int within = (int) (position % CHUNK_SIZE);
                    int part = Math.min(n - done, CHUNK_SIZE - within);
                    ByteBuffer bytes = ByteBuffer.wrap(buffer, done, part);
                    long at = within;
                    while (bytes.hasRemaining()) {
                        at += chunk.write(bytes, at);
                    }
                    done += part;
                    position += part;
                }
                written += n;
            }
            if (chunk != null) {
                chunk.force(false);
            }
        } finally {
            if (chunk != null) {
                chunk.close();
            }
        }
        return new Written(written, createdDirectory, createdFile);
    }

    private record Written(long bytes, boolean createdDirectory, boolean createdFile) {
    }

    /**
     * Cuts chunk bytes past {@code committedLength}: a failed or crashed append may have left some. Not needed for
     * correctness (they are past the committed length, so never read), but keeps the chunks equal to the log.
     */
    private void discardUncommittedTail(Path directory, long committedLength) throws IOException {
        long lastIndex = committedLength / CHUNK_SIZE;
        long keepInLast = committedLength % CHUNK_SIZE;
        try (DirectoryStream<Path> chunks = Files.newDirectoryStream(directory, "*" + CHUNK_SUFFIX)) {
            for (Path file : chunks) {
                long index = chunkIndex(file);
                if (index > lastIndex || (index == lastIndex && keepInLast == 0)) {
                    Files.deleteIfExists(file);
                } else if (index == lastIndex && Files.size(file) > keepInLast) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.truncate(keepInLast);
                        channel.force(false);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // No directory: nothing to cut.
        }
    }

    private void discardQuietly(Path directory, long committedLength, Throwable failure) {
        try {
            discardUncommittedTail(directory, committedLength);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static long chunkIndex(Path file) {
        String name = file.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - CHUNK_SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Path jobDirectory(JobId job) {
        return root.resolve(Long.toString(job.value()));
    }

    private static Path chunkFile(Path directory, long index) {
        return directory.resolve(index + CHUNK_SUFFIX);
    }
}
