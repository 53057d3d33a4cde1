package io.jobyard.application.port.out;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where artifact bytes live. Writes are two-phase so nothing half-written is ever visible: {@link #stage} streams the
 * upload aside (computing size and SHA-256), the caller checks it with {@link #readStaged}, then {@link #publish}
 * makes it appear under its key atomically, or {@link #discard} drops it. Reads are ranged streams.
 */
public interface ArtifactStore {

    /**
     * Streams {@code content} into the staging area.
     *
     * @throws io.jobyard.domain.error.PayloadTooLargeException when it exceeds {@code maxBytes} (nothing is left behind)
     */
    StagedBlob stage(InputStream content, long maxBytes);

    /** Reads part of a staged upload, to check it before publishing. */
    BlobContent readStaged(StagedBlob staged, ByteRange range);

    /** Makes the staged bytes visible under {@code key}, replacing nothing that readers could see half-way. */
    void publish(StagedBlob staged, String key);

    /** Drops a staged upload. Idempotent. */
    void discard(StagedBlob staged);

    /**
     * Opens part of a published blob.
     *
     * @throws io.jobyard.domain.error.NotFoundException when there is nothing under {@code key}
     * @throws io.jobyard.domain.error.RangeNotSatisfiableException when {@code range} starts past the end
     */
    BlobContent read(String key, ByteRange range);

    /** The size of a published blob, if there is one. */
    Optional<Long> size(String key);

    /** Removes a published blob. Idempotent. */
    void delete(String key);

    /** Removes staging litter older than {@code olderThan}, e.g. after a crash. @return how many were removed */
    int cleanupStaging(Duration olderThan);

    /**
     * The published blobs whose key starts with {@code keyPrefix} and that were last modified before
     * {@code modifiedBefore}, in no particular order, for the orphan sweep. The stream is lazy — pages of an object
     * listing, a directory walk — so a store of millions of blobs is never held in memory; the caller must close it.
     * A blob published or deleted while the stream is read may or may not appear. Staged uploads never appear.
     *
     * <p>The default lists nothing: a store that cannot enumerate its blobs never has one collected, which is the
     * safe way to be incomplete.
     */
    default Stream<StoredBlob> listBlobs(String keyPrefix, Instant modifiedBefore) {
        return Stream.empty();
    }

    /** A short-lived URL a client may fetch the blob from directly (object storage only). */
    default Optional<URI> presignedUrl(String key, Duration validFor, String downloadFilename) {
        return Optional.empty();
    }
}
