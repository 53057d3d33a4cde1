package io.jobyard.adapter.storage.fs;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.StagedBlob;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A directory of uploads in progress: each upload streams into its own {@code <uuid>.part} file while its SHA-256 and
 * size are computed, so it never has to be read twice. The filesystem store publishes a staged file with a rename,
 * so its staging area must sit on the same filesystem as its blobs; the S3 store uploads from it.
 *
 * <p>Anything found here after a crash is litter by definition: no published blob refers to a staging file.
 */
public final class StagingArea {
    private static final String SUFFIX = ".part";
    private static final Pattern STAGING_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path directory;
    private final boolean durable;
    private final Clock clock;

    /**
     * @param durable whether a staged file is fsynced before {@link #stage} returns (needed when publishing is a
     *                rename, pointless when the bytes are uploaded elsewhere before anything refers to them)
     */
    public StagingArea(Path directory, boolean durable, Clock clock) {
        this.directory = directory.toAbsolutePath().normalize();
        this.durable = durable;
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create staging directory " + this.directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * Streams {@code content} into a new staging file. On any failure (the client went away, the limit was crossed,
     * the disk is full) the partial file is deleted before the exception leaves.
     */
    public StagedBlob stage(InputStream content, long maxBytes) {
        Objects.requireNonNull(content, "content");
        String stagingId = UUID.randomUUID().toString();
        Path file = directory.resolve(stagingId + SUFFIX);
        MessageDigest sha256 = newSha256();
        long size = 0;
        boolean complete = false;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            int n;
            while ((n = content.read(buffer)) != -1) {
                size += n;
                if (size > maxBytes) {
                    throw new PayloadTooLargeException("upload exceeds the limit of " + maxBytes + " bytes");
                }
                sha256.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            if (durable) {
                out.force(true);
            }
            complete = true;
        } catch (IOException e) {
            throw new UncheckedIOException("staging an upload failed", e);
        } finally {
            if (!complete) {
                deleteQuietly(file);
            }
        }
        return new StagedBlob(stagingId, size, HexFormat.of().formatHex(sha256.digest()));
    }

    /** The file holding a staged upload. @throws NotFoundException when it is gone (published or discarded) */
    public Path existingFile(StagedBlob staged) {
        Path file = file(staged);
        if (!Files.isRegularFile(file)) {
            throw NotFoundException.plain("Staged upload");
        }
        return file;
    }

    /** The file a staged upload has or had; validates the id so it cannot point outside this directory. */
    public Path file(StagedBlob staged) {
        if (!STAGING_ID.matcher(staged.stagingId()).matches()) {
            throw new IllegalArgumentException("not a staging id of this store: " + staged.stagingId());
        }
        return directory.resolve(staged.stagingId() + SUFFIX);
    }

    public BlobContent read(StagedBlob staged, ByteRange range) {
        return openRange(file(staged), range, () -> NotFoundException.plain("Staged upload"));
    }

    public void discard(StagedBlob staged) {
        try {
            Files.deleteIfExists(file(staged));
        } catch (IOException e) {
            throw new UncheckedIOException("discarding a staged upload failed", e);
        }
    }

    /** Deletes staging files last modified {@code olderThan} ago or earlier ({@code ZERO}: every one). */
    public int cleanup(Duration olderThan) {
        Instant cutoff = clock.instant().minus(olderThan);
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    if (!Files.getLastModifiedTime(file).toInstant().isAfter(cutoff) && Files.deleteIfExists(file)) {
                        removed++;
                    }
                } catch (NoSuchFileException raced) {
                    // Published or discarded while we looked: not litter.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning the staging directory failed", e);
        }
        return removed;
    }

    /**
     * Opens {@code range} of {@code file} as a stream of positional reads.
     *
     * @throws RangeNotSatisfiableException when the range starts past the end (a start at the very end is an empty
     *                                      read, which is how a client asks "anything new?")
     */
    static BlobContent openRange(Path file, ByteRange range, java.util.function.Supplier<NotFoundException> missing) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw missing.get();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
        try {
            long size = channel.size();
            long length = range.satisfiableLengthWithin(size);
            return new BlobContent(new FileRangeInputStream(channel, range.offset(), length), size, range.offset(),
                    length);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot read " + file, io);
            }
            throw (RuntimeException) e;
        }
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void closeQuietly(FileChannel channel, Exception primary) {
        try {
            channel.close();
        } catch (IOException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Best effort: cleanup() removes it on the next start.
        }
    }
}
