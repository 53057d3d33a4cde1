package io.jobyard.domain.artifact;

import java.util.Objects;

/**
 * One file inside a zip archive, as indexed at upload from the central directory and the entry's local header, so a
 * download reads exactly {@code compressedSize} bytes at {@code dataOffset} — one ranged read of the archive.
 *
 * @param path             the entry name, already checked not to escape the archive root
 * @param dataOffset       where the entry's (possibly compressed) bytes start in the archive
 * @param method           0 stored, 8 deflated
 * @param crc32            the CRC the zip records for the uncompressed bytes
 */
public record ArchiveEntry(String path, long dataOffset, int method, long compressedSize, long uncompressedSize,
                           long crc32) {
    public static final int STORED = 0;
    public static final int DEFLATED = 8;

    public ArchiveEntry {
        Objects.requireNonNull(path, "path");
        if (dataOffset < 0 || compressedSize < 0 || uncompressedSize < 0) {
            throw new IllegalArgumentException("offsets and sizes must not be negative");
        }
        if (method != STORED && method != DEFLATED) {
            throw new IllegalArgumentException("unsupported compression method " + method);
        }
    }

    public boolean stored() {
        return method == STORED;
    }

    public boolean directory() {
        return path.endsWith("/");
    }
}
