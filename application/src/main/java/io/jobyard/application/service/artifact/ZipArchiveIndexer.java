package io.jobyard.application.service.artifact;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.stream.RangedReader;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactPath;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.PayloadTooLargeException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Indexes a zip archive through ranged reads, never holding it whole: the end record (and its ZIP64 form) from the
 * tail, the central directory as one stream, then each entry's local header to learn exactly where its data starts.
 * A single-file download later costs one ranged read at {@link ArchiveEntry#dataOffset()}. Each entry's Unix mode and
 * modification time are kept too, for listings of the archive's tree.
 *
 * <p>It refuses what it could not serve safely: anything that is not a well-formed single-volume zip, entry names
 * that could escape the archive root ({@link ArtifactPath}), duplicate names, encryption, methods other than stored
 * and deflated, entries whose data overlap or lie outside the archive (the overlapping-entry zip bomb), and
 * impossible compression ratios. Entry count and total expanded size are capped ({@link ArtifactLimits}).
 *
 * <p>Entry data is not inflated here: a download inflates with the declared size and CRC as hard limits, so an
 * entry that lies about them fails at that point instead of expanding without bound.
 */
public final class ZipArchiveIndexer {
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int EOCD_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_EOCD_SIZE = 56;
    private static final int CENTRAL_HEADER_SIZE = 46;
    private static final int LOCAL_HEADER_SIZE = 30;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final int EXTENDED_TIMESTAMP_ID = 0x5455;
    /** "Version made by" host 3: the external attributes' upper half is a Unix mode. */
    private static final int UNIX_HOST = 3;
    private static final long U16_SENTINEL = 0xFFFFL;
    private static final long U32_SENTINEL = 0xFFFFFFFFL;
    private static final int FLAG_ENCRYPTED = 0x0001;
    private static final int FLAG_STRONG_ENCRYPTION = 0x0040;
    /** Deflate cannot expand more than about 1032:1; a claim beyond that is a lie or corruption. */
    static final long MAX_DEFLATE_RATIO = 1032;
    /** Nearby local headers are fetched together, up to this many bytes per read. */
    private static final int HEADER_WINDOW = 64 * 1024;
    /** Local extra fields usually differ a little from the central ones; fetch this much more to avoid a re-read. */
    private static final int LOCAL_EXTRA_SLACK = 64;

    private final int maxEntries;
    private final long maxUncompressedSize;

    public ZipArchiveIndexer(ArtifactLimits limits) {
        Objects.requireNonNull(limits, "limits");
        this.maxEntries = limits.maxEntries();
        this.maxUncompressedSize = limits.maxUncompressedSize();
    }

    /**
     * @return the entries in central-directory order
     * @throws BadRequestException      when the archive is not a valid, safe zip
     * @throws PayloadTooLargeException when it has too many entries or expands to too much
     */
    public List<ArchiveEntry> index(long archiveSize, RangedReader reader) {
        Objects.requireNonNull(reader, "reader");
        Directory directory = locateCentralDirectory(archiveSize, reader);
        if (directory.entryCount() > maxEntries) {
            throw new PayloadTooLargeException("archive has " + directory.entryCount() + " entries; at most "
                    + maxEntries + " are allowed");
        }
        List<CentralEntry> central = readCentralDirectory(directory, reader);
        return resolveLocalHeaders(central, directory, reader);
    }

    // ------------------------------------------------------------------------------------------------ end record

    /** Where the central directory is, from the end record (ZIP64 when the classic fields overflow). */
    private record Directory(long entryCount, long offset, long size) {
    }

    private static Directory locateCentralDirectory(long archiveSize, RangedReader reader) {
        if (archiveSize < EOCD_SIZE) {
            throw invalid("too short to be a zip archive");
        }
        int tailLength = (int) Math.min(archiveSize, EOCD_SIZE + MAX_COMMENT);
        long tailStart = archiveSize - tailLength;
        byte[] tail = readFully(reader, tailStart, tailLength);
        int at = -1;
        for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
            // The comment length must reach exactly to the end, so a signature inside a comment is not mistaken.
            if (le32(tail, i) == EOCD_SIGNATURE && le16(tail, i + 20) == tailLength - i - EOCD_SIZE) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            throw invalid("no end of central directory record");
        }
        long eocdPosition = tailStart + at;
        long disk = le16(tail, at + 4);
        long directoryDisk = le16(tail, at + 6);
        long entriesOnDisk = le16(tail, at + 8);
        long entries = le16(tail, at + 10);
        long size = le32(tail, at + 12);
        long offset = le32(tail, at + 16);
        long directoryEnd = eocdPosition;

        boolean needsZip64 = disk == U16_SENTINEL || directoryDisk == U16_SENTINEL || entriesOnDisk == U16_SENTINEL
                || entries == U16_SENTINEL || size == U32_SENTINEL || offset == U32_SENTINEL;
        long locatorPosition = eocdPosition - ZIP64_LOCATOR_SIZE;
        byte[] locator = null;
        if (locatorPosition >= 0) {
            locator = locatorPosition >= tailStart
                    ? Arrays.copyOfRange(tail, (int) (locatorPosition - tailStart), at)
                    : readFully(reader, locatorPosition, ZIP64_LOCATOR_SIZE);
            if (le32(locator, 0) != ZIP64_LOCATOR_SIGNATURE) {
                locator = null;
            }
        }
        if (locator != null) {
            long zip64Position = le64(locator, 8);
            if (le32(locator, 4) != 0 || le32(locator, 16) != 1) {
                throw invalid("multi-volume archives are not supported");
            }
            if (zip64Position < 0 || zip64Position > locatorPosition - ZIP64_EOCD_SIZE) {
                throw invalid("ZIP64 end record outside the archive");
            }
            byte[] record = readFully(reader, zip64Position, ZIP64_EOCD_SIZE);
            if (le32(record, 0) != ZIP64_EOCD_SIGNATURE) {
                throw invalid("bad ZIP64 end record signature");
            }
            if (zip64Position + 12 + le64(record, 4) != locatorPosition) {
                throw invalid("ZIP64 end record size does not match its position");
            }
            disk = le32(record, 16);
            directoryDisk = le32(record, 20);
            entriesOnDisk = le64(record, 24);
            entries = le64(record, 32);
            size = le64(record, 40);
            offset = le64(record, 48);
            directoryEnd = zip64Position;
        } else if (needsZip64) {
            throw invalid("ZIP64 end record locator missing");
        }
        if (disk != 0 || directoryDisk != 0 || entriesOnDisk != entries) {
            throw invalid("multi-volume archives are not supported");
        }
        if (entries < 0 || size < 0 || offset < 0 || offset > directoryEnd || size != directoryEnd - offset) {
            throw invalid("central directory is not where the end record says");
        }
        if (entries > size / CENTRAL_HEADER_SIZE) {
            throw invalid("central directory too small for " + entries + " entries");
        }
        return new Directory(entries, offset, size);
    }

    // ----------------------------------------------------------------------------------------- central directory

    private record CentralEntry(int index, ArtifactPath path, byte[] rawName, int method, long crc32,
                                long compressedSize, long uncompressedSize, long localHeaderOffset,
                                int centralExtraLength, Integer mode, Instant modifiedAt) {
    }

    private List<CentralEntry> readCentralDirectory(Directory directory, RangedReader reader) {
        List<CentralEntry> entries = new ArrayList<>((int) Math.min(directory.entryCount(), 4096));
        Set<String> names = new HashSet<>();
        long totalUncompressed = 0;
        try (BlobContent content = reader.read(new ByteRange(directory.offset(), directory.size()))) {
            CountingInput in = new CountingInput(new BufferedInputStream(content.stream(), 64 * 1024));
            for (int i = 0; i < directory.entryCount(); i++) {
                CentralEntry entry = readCentralEntry(i, in);
                if (!names.add(entry.path().value())) {
                    throw new BadRequestException("archive lists " + printable(entry.path().value()) + " twice");
                }
                totalUncompressed += entry.uncompressedSize();
                if (totalUncompressed > maxUncompressedSize) {
                    throw new PayloadTooLargeException("archive expands to more than " + maxUncompressedSize
                            + " bytes");
                }
                if (entry.method() == ArchiveEntry.DEFLATED
                        && entry.uncompressedSize() > MAX_DEFLATE_RATIO * entry.compressedSize() + 64) {
                    throw invalid("entry " + printable(entry.path().value())
                            + " claims an impossible compression ratio");
                }
                entries.add(entry);
            }
            if (in.position() != directory.size()) {
                throw invalid("central directory size does not match its entries");
            }
        } catch (EOFException e) {
            throw invalid("central directory ends unexpectedly");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static CentralEntry readCentralEntry(int index, CountingInput in) throws IOException {
        byte[] header = in.readFully(CENTRAL_HEADER_SIZE);
        if (le32(header, 0) != CENTRAL_SIGNATURE) {
            throw invalid("bad central directory header signature");
        }
        int madeBy = le16(header, 4) >>> 8;
        int dosTime = le16(header, 12);
        int dosDate = le16(header, 14);
        long externalAttributes = le32(header, 38);
        int flags = le16(header, 8);
        int method = le16(header, 10);
        long crc = le32(header, 16);
        long compressed = le32(header, 20);
        long uncompressed = le32(header, 24);
        int nameLength = le16(header, 28);
        int extraLength = le16(header, 30);
        int commentLength = le16(header, 32);
        long diskStart = le16(header, 34);
        long localOffset = le32(header, 42);
        byte[] rawName = in.readFully(nameLength);
        byte[] extra = in.readFully(extraLength);
        in.skipFully(commentLength);

        Instant unixModified = null;
        // ZIP64 extended information: only the fields whose classic value is the sentinel are present, in order.
        for (int p = 0; p + 4 <= extra.length; ) {
            int id = le16(extra, p);
            int size = le16(extra, p + 2);
            if (p + 4 + size > extra.length) {
                throw invalid("extra field overruns its header");
            }
            if (id == ZIP64_EXTRA_ID) {
                int q = p + 4;
                int end = q + size;
                if (uncompressed == U32_SENTINEL) {
                    uncompressed = zip64Field(extra, q, end);
                    q += 8;
                }
                if (compressed == U32_SENTINEL) {
                    compressed = zip64Field(extra, q, end);
                    q += 8;
                }
                if (localOffset == U32_SENTINEL) {
                    localOffset = zip64Field(extra, q, end);
                    q += 8;
                }
                if (diskStart == U16_SENTINEL) {
                    if (q + 4 > end) {
                        throw invalid("ZIP64 extra field too short");
                    }
                    diskStart = le32(extra, q);
                }
            } else if (id == EXTENDED_TIMESTAMP_ID && size >= 5 && (extra[p + 4] & 1) != 0) {
                // Info-ZIP's extended timestamp: a flags byte, then the modification time as signed Unix seconds.
                unixModified = Instant.ofEpochSecond((int) le32(extra, p + 5));
            }
            p += 4 + size;
        }

        ArtifactPath path;
        try {
            path = ArtifactPath.fromUtf8(rawName);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("archive entry name is not allowed (" + e.getMessage() + "): "
                    + printable(new String(rawName, java.nio.charset.StandardCharsets.UTF_8)));
        }
        String shown = printable(path.value());
        if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0) {
            throw new BadRequestException("archive entry " + shown + " is encrypted");
        }
        if (method != ArchiveEntry.STORED && method != ArchiveEntry.DEFLATED) {
            throw new BadRequestException("archive entry " + shown + " uses unsupported compression method "
                    + method + " (only stored and deflated are served)");
        }
        if (diskStart != 0) {
            throw invalid("multi-volume archives are not supported");
        }
        if (compressed < 0 || uncompressed < 0 || localOffset < 0) {
            throw invalid("entry " + shown + " has negative sizes or offset");
        }
        if (method == ArchiveEntry.STORED && compressed != uncompressed) {
            throw invalid("stored entry " + shown + " has different compressed and uncompressed sizes");
        }
        Integer mode = madeBy == UNIX_HOST && (externalAttributes >>> 16) != 0
                ? (int) (externalAttributes >>> 16) : null;
        Instant modified = unixModified != null ? unixModified : dosTime(dosDate, dosTime);
        return new CentralEntry(index, path, rawName, method, crc, compressed, uncompressed, localOffset,
                extraLength, mode, modified);
    }

    /**
     * MS-DOS date and time, which carry no zone: read as UTC (gitlab-runner and most zip writers also store the
     * extended timestamp, which is UTC and wins). Null when the fields are not a real date.
     */
    private static Instant dosTime(int date, int time) {
        int year = 1980 + (date >>> 9);
        int month = (date >>> 5) & 0x0F;
        int day = date & 0x1F;
        int hour = time >>> 11;
        int minute = (time >>> 5) & 0x3F;
        int second = (time & 0x1F) * 2;
        try {
            return java.time.LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException notADate) {
            return null;
        }
    }

    private static long zip64Field(byte[] extra, int at, int end) {
        if (at + 8 > end) {
            throw invalid("ZIP64 extra field too short");
        }
        long value = le64(extra, at);
        if (value < 0) {
            throw invalid("ZIP64 value out of range");
        }
        return value;
    }

    // --------------------------------------------------------------------------------------------- local headers

    private static List<ArchiveEntry> resolveLocalHeaders(List<CentralEntry> central, Directory directory,
                                                          RangedReader reader) {
        List<CentralEntry> byOffset = new ArrayList<>(central);
        byOffset.sort(Comparator.comparingLong(CentralEntry::localHeaderOffset));
        ArchiveEntry[] resolved = new ArchiveEntry[central.size()];
        HeaderWindow window = new HeaderWindow(reader, directory.offset());
        long previousDataEnd = 0;
        for (int i = 0; i < byOffset.size(); i++) {
            CentralEntry entry = byOffset.get(i);
            long offset = entry.localHeaderOffset();
            String shown = printable(entry.path().value());
            if (offset < previousDataEnd) {
                throw invalid("entry " + shown + " overlaps the previous entry's data");
            }
            if (offset + LOCAL_HEADER_SIZE > directory.offset()) {
                throw invalid("local header of " + shown + " lies outside the archive data");
            }
            if (!window.covers(offset, LOCAL_HEADER_SIZE)) {
                window.fetchFrom(byOffset, i);
            }
            byte[] fixed = window.bytes(offset, LOCAL_HEADER_SIZE);
            if (le32(fixed, 0) != LOCAL_SIGNATURE) {
                throw invalid("bad local header signature for " + shown);
            }
            int method = le16(fixed, 8);
            int nameLength = le16(fixed, 26);
            int extraLength = le16(fixed, 28);
            if (method != entry.method()) {
                throw invalid("local and central headers of " + shown + " disagree on the method");
            }
            long dataOffset = offset + LOCAL_HEADER_SIZE + nameLength + extraLength;
            if (dataOffset + entry.compressedSize() > directory.offset()) {
                throw invalid("data of " + shown + " lies outside the archive data");
            }
            byte[] localName = window.bytes(offset + LOCAL_HEADER_SIZE, nameLength);
            if (!Arrays.equals(localName, entry.rawName())) {
                throw invalid("local and central headers of " + shown + " disagree on the name");
            }
            previousDataEnd = dataOffset + entry.compressedSize();
            resolved[entry.index()] = new ArchiveEntry(entry.path().value(), dataOffset, entry.method(),
                    entry.compressedSize(), entry.uncompressedSize(), entry.crc32(), entry.mode(),
                    entry.modifiedAt());
        }
        return List.of(resolved);
    }

    /**
     * A cached stretch of the archive holding several nearby local headers, so an archive of many small files costs
     * a few reads rather than one per entry, while far-apart headers never pull the data between them.
     */
    private static final class HeaderWindow {
        private final RangedReader reader;
        private final long limit;
        private long start;
        private byte[] bytes = new byte[0];

        HeaderWindow(RangedReader reader, long limit) {
            this.reader = reader;
            this.limit = limit;
        }

        boolean covers(long offset, int length) {
            return offset >= start && offset + length <= start + bytes.length;
        }

        /** Fetches from entry {@code first}'s header, taking in the following headers that fit one window. */
        void fetchFrom(List<CentralEntry> byOffset, int first) {
            long from = byOffset.get(first).localHeaderOffset();
            long to = from + headerEstimate(byOffset.get(first));
            for (int j = first + 1; j < byOffset.size(); j++) {
                long end = byOffset.get(j).localHeaderOffset() + headerEstimate(byOffset.get(j));
                if (end - from > HEADER_WINDOW) {
                    break;
                }
                to = Math.max(to, end);
            }
            load(from, (int) (Math.min(to, limit) - from));
        }

        byte[] bytes(long offset, int length) {
            if (!covers(offset, length)) {
                if (offset + length > limit) {
                    throw invalid("local header runs into the central directory");
                }
                load(offset, length);
            }
            int at = (int) (offset - start);
            return Arrays.copyOfRange(bytes, at, at + length);
        }

        private void load(long from, int length) {
            start = from;
            bytes = readFully(reader, from, length);
        }

        private static long headerEstimate(CentralEntry entry) {
            return LOCAL_HEADER_SIZE + entry.rawName().length + entry.centralExtraLength() + LOCAL_EXTRA_SLACK;
        }
    }

    // ---------------------------------------------------------------------------------------------------- bytes

    private static byte[] readFully(RangedReader reader, long offset, int length) {
        try (BlobContent content = reader.read(new ByteRange(offset, length))) {
            byte[] bytes = content.stream().readNBytes(length);
            if (bytes.length != length) {
                throw invalid("archive ends unexpectedly");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long le32(byte[] b, int at) {
        return (le16(b, at) | (long) le16(b, at + 2) << 16) & 0xFFFFFFFFL;
    }

    private static long le64(byte[] b, int at) {
        return le32(b, at) | le32(b, at + 4) << 32;
    }

    private static BadRequestException invalid(String detail) {
        return new BadRequestException("invalid zip archive: " + detail);
    }

    /** An entry name as it may appear in an error message: bounded, without control characters. */
    private static String printable(String name) {
        StringBuilder shown = new StringBuilder();
        name.codePoints().limit(200).forEach(c -> shown.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return "'" + shown + (name.length() > 200 ? "...'" : "'");
    }

    /** Sequential little-endian reading that knows how far it got. */
    private static final class CountingInput {
        private final InputStream in;
        private long position;

        CountingInput(InputStream in) {
            this.in = in;
        }

        byte[] readFully(int length) throws IOException {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new EOFException();
            }
            position += length;
            return bytes;
        }

        void skipFully(int length) throws IOException {
            in.skipNBytes(length);
            position += length;
        }

        long position() {
            return position;
        }
    }
}
