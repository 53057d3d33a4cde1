package io.jobyard.adapter.storage.fs;

import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.StagedBlob;
import io.jobyard.application.port.out.StoredBlob;
import io.jobyard.domain.error.NotFoundException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Artifacts as plain files under a data directory:
 * <pre>
 *   {root}/blobs/{key}          published blobs, e.g. blobs/projects/12/jobs/345/artifacts/1/artifacts.zip
 *   {root}/staging/{uuid}.part  uploads in progress (same filesystem, so publishing is a rename)
 * </pre>
 * An upload is streamed to a staging file and fsynced; publishing renames it into place with {@code ATOMIC_MOVE} and
 * fsyncs the directory, so a reader sees either the previous blob or the complete new one, and a crash at any point
 * leaves at most a staging file that {@link #cleanupStaging} removes at the next start.
 */
public final class FilesystemArtifactStore implements ArtifactStore {
    private final Path blobs;
    private final StagingArea staging;
    private final Clock clock;

    public FilesystemArtifactStore(Path dataDirectory) {
        this(dataDirectory, Clock.systemUTC());
    }

    public FilesystemArtifactStore(Path dataDirectory, Clock clock) {
        Path root = dataDirectory.toAbsolutePath().normalize();
        this.blobs = root.resolve("blobs");
        this.clock = clock;
        this.staging = new StagingArea(root.resolve("staging"), true, clock);
        try {
            Files.createDirectories(blobs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create artifact directory " + blobs, e);
        }
    }

    @Override
    public StagedBlob stage(InputStream content, long maxBytes) {
        return staging.stage(content, maxBytes);
    }

    @Override
    public BlobContent readStaged(StagedBlob staged, ByteRange range) {
        return staging.read(staged, range);
    }

    @Override
    public void publish(StagedBlob staged, String key) {
        Path target = StorageKeys.resolve(blobs, key);
        Path source = staging.existingFile(staged);
        try {
            Durability.createDirectoriesDurably(blobs, target.getParent());
            // A rename keeps the time the upload was last written; the orphan sweep measures a blob's age from its
            // publish (StoredBlob.lastModified), so stamp it now, while nobody can see it yet.
            Files.setLastModifiedTime(source, FileTime.from(clock.instant()));
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Durability.forceDirectory(target.getParent());
            // The rename also removed the entry from the staging directory; flushing it keeps a crash from
            // resurrecting the staging file as a second name for the published blob.
            Durability.forceDirectory(staging.directory());
        } catch (NoSuchFileException e) {
            throw NotFoundException.plain("Staged upload");
        } catch (IOException e) {
            throw new UncheckedIOException("publishing " + key + " failed", e);
        }
    }

    @Override
    public void discard(StagedBlob staged) {
        staging.discard(staged);
    }

    @Override
    public BlobContent read(String key, ByteRange range) {
        Path file = StorageKeys.resolve(blobs, key);
        if (Files.isDirectory(file)) {
            throw NotFoundException.plain("File");
        }
        return StagingArea.openRange(file, range, () -> NotFoundException.plain("File"));
    }

    @Override
    public Optional<Long> size(String key) {
        Path file = StorageKeys.resolve(blobs, key);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile() ? Optional.of(attributes.size()) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        Path file = StorageKeys.resolve(blobs, key);
        try {
            if (Files.isRegularFile(file) && Files.deleteIfExists(file)) {
                Durability.forceDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + key + " failed", e);
        }
    }

    /**
     * A lazy walk of the blob directory, starting at the deepest directory the prefix names, so listing one project
     * does not walk the others. It holds one open directory per level, never the list of files.
     */
    @Override
    public Stream<StoredBlob> listBlobs(String keyPrefix, Instant modifiedBefore) {
        Path start = blobs;
        int lastSlash = keyPrefix.lastIndexOf('/');
        if (lastSlash > 0) {
            start = StorageKeys.resolve(blobs, keyPrefix.substring(0, lastSlash));
        }
        if (!Files.isDirectory(start)) {
            return Stream.empty();
        }
        Stream<Path> walk;
        try {
            walk = Files.walk(start);
        } catch (NoSuchFileException removedMeanwhile) {
            return Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + start, e);
        }
        return walk.map(this::storedBlob)
                .flatMap(Optional::stream)
                .filter(blob -> blob.key().startsWith(keyPrefix) && blob.lastModified().isBefore(modifiedBefore));
    }

    /** The blob a walked path holds; empty for directories and for files deleted since the walk saw them. */
    private Optional<StoredBlob> storedBlob(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            String key = blobs.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            if (!StorageKeys.isValid(key)) {
                return Optional.empty();
            }
            return Optional.of(new StoredBlob(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + file, e);
        }
    }

    @Override
    public int cleanupStaging(Duration olderThan) {
        return staging.cleanup(olderThan);
    }
}
