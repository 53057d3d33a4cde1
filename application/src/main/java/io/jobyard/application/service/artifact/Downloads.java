package io.jobyard.application.service.artifact;

import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.out.ArtifactIntegrityListener;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.stream.BoundedInputStream;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.JobArtifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Optional;

/** The {@link Download}s artifact and log reads hand to the HTTP layer; nothing is opened until it asks. */
public final class Downloads {
    private Downloads() {
    }

    /** A whole stored artifact; every range is served by one ranged read of the store. */
    public static Download ofArtifact(ArtifactStore store, JobArtifact artifact, String filename,
                                      Optional<URI> redirect) {
        String key = artifact.storageKey();
        long size = artifact.size();
        return new Download(filename, size, artifact.sha256(), artifact.sha256(), redirect, true,
                range -> {
                    requireSatisfiable(range, size);
                    BlobContent content = store.read(key, range);
                    return new BlobContent(content.stream(), size, content.offset(), content.length());
                });
    }

    /**
     * One entry of an archive. A stored entry is a plain slice of the archive: ranges are one ranged read. A deflated
     * entry is inflated on the fly from one ranged read of its compressed bytes, and is not offered for ranges.
     */
    public static Download ofEntry(ArtifactStore store, JobArtifact archive, ArchiveEntry entry, String filename,
                                   ArtifactIntegrityListener integrity) {
        String key = archive.storageKey();
        Runnable damaged = () -> integrity.corruptEntry(archive, entry);
        long size = entry.uncompressedSize();
        // The archive's digest and the entry's path identify the entry's bytes exactly: a strong validator.
        String etag = Digests.sha256Hex(archive.sha256() + "\0" + entry.path());
        return new Download(filename, size, etag, null, Optional.empty(), entry.stored(), range -> {
            requireSatisfiable(range, size);
            long length = range.lengthWithin(size);
            if (length == 0) {
                return new BlobContent(InputStream.nullInputStream(), size, range.offset(), 0);
            }
            if (entry.stored()) {
                BlobContent slice = store.read(key, new ByteRange(entry.dataOffset() + range.offset(), length));
                InputStream bytes = length == size
                        ? new CrcCheckingStream(slice.stream(), size, entry.crc32(), damaged)
                        : slice.stream();
                return new BlobContent(bytes, size, range.offset(), length);
            }
            BlobContent compressed = store.read(key, new ByteRange(entry.dataOffset(), entry.compressedSize()));
            InputStream inflated = new InflatingEntryStream(compressed.stream(), size, entry.crc32(), damaged);
            try {
                inflated.skipNBytes(range.offset());
            } catch (IOException e) {
                closeQuietly(inflated);
                throw new UncheckedIOException(e);
            }
            InputStream bytes = length == size - range.offset() ? inflated : new BoundedInputStream(inflated, length);
            return new BlobContent(bytes, size, range.offset(), length);
        });
    }

    /** Nothing to serve (a job without a log): still a download, of zero bytes. */
    public static Download empty(String filename, String etag) {
        return new Download(filename, 0, etag, Digests.sha256Hex(""), Optional.empty(), true, range -> {
            requireSatisfiable(range, 0);
            return new BlobContent(InputStream.nullInputStream(), 0, 0, 0);
        });
    }

    public static void requireSatisfiable(ByteRange range, long size) {
        range.satisfiableLengthWithin(size);
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // Already failing; the original error is the one worth reporting.
        }
    }
}
