package io.jobyard.domain.artifact;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One file inside a zip archive, as indexed at upload from the central directory and the entry's local header, so a
 * download reads exactly {@code compressedSize} bytes at {@code dataOffset} — one ranged read of the archive.
 *
 * @param path             the entry name, already checked not to escape the archive root
 * @param dataOffset       where the entry's (possibly compressed) bytes start in the archive
 * @param method           0 stored, 8 deflated
 * @param crc32            the CRC the zip records for the uncompressed bytes
 * @param mode             the Unix mode (file type and permission bits, {@code 0100644}) when the archive was made
 *                         on a Unix system and records one, else null (also for entries indexed before modes were)
 * @param modifiedAt       the modification time the zip records, or null
 */
public record ArchiveEntry(String path, long dataOffset, int method, long compressedSize, long uncompressedSize,
                           long crc32, Integer mode, Instant modifiedAt) {
    public static final int STORED = 0;
    public static final int DEFLATED = 8;

    /**
     * The order of entry paths: by code point, which is UTF-8 byte order and what PostgreSQL's {@code COLLATE "C"}
     * compares; listings page by it.
     */
    public static final Comparator<String> PATH_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    /** An entry without mode and time. */
    public ArchiveEntry(String path, long dataOffset, int method, long compressedSize, long uncompressedSize,
                        long crc32) {
        this(path, dataOffset, method, compressedSize, uncompressedSize, crc32, null, null);
    }

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
