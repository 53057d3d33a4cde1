package io.jobyard.application.service.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zip archives for tests: ordinary ones through {@link ZipOutputStream}, odd ones byte by byte ({@link Raw}). */
public final class Zips {
    private Zips() {
    }

    /** A file to put in an archive; {@code stored} chooses method 0 over deflate. */
    public record File(String name, byte[] content, boolean stored) {
        public static File deflated(String name, String text) {
            return new File(name, text.getBytes(StandardCharsets.UTF_8), false);
        }

        public static File stored(String name, String text) {
            return new File(name, text.getBytes(StandardCharsets.UTF_8), true);
        }

        public static File directory(String name) {
            return new File(name, new byte[0], true);
        }
    }

    private static final long FIXED_TIME = 1_700_000_000_000L;

    public static byte[] zip(File... files) {
        return zip(null, List.of(files));
    }

    public static byte[] zip(String comment, List<File> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            if (comment != null) {
                zip.setComment(comment);
            }
            for (File file : files) {
                ZipEntry entry = new ZipEntry(file.name());
                // A fixed time: the same files make the same bytes, whichever side of a 2-second DOS tick they are made.
                entry.setTime(FIXED_TIME);
                if (file.stored()) {
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(file.content().length);
                    entry.setCompressedSize(file.content().length);
                    entry.setCrc(crc(file.content()));
                }
                zip.putNextEntry(entry);
                zip.write(file.content());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static long crc(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue();
    }

    public static byte[] deflate(byte[] content) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(content);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    public static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Text that compresses, so deflated entries are really smaller. */
    public static byte[] text(int size) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < size; i++) {
            text.append("line ").append(i).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return text.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    /** Where the central directory starts, read from the end record of an archive without a comment. */
    public static int centralDirectoryOffset(byte[] zip) {
        return (int) le32(zip, zip.length - 22 + 16);
    }

    public static long le32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    public static void putLe32(byte[] b, int at, long value) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }

    public static void putLe16(byte[] b, int at, int value) {
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >>> 8);
    }

    /** Offsets of every central directory header of {@code zip} (no comment), in order. */
    public static List<Integer> centralHeaders(byte[] zip) {
        List<Integer> headers = new ArrayList<>();
        int at = centralDirectoryOffset(zip);
        while (le32(zip, at) == 0x02014b50L) {
            headers.add(at);
            int nameLength = (int) (le32(zip, at + 28) & 0xFFFF);
            int extraLength = (int) (le32(zip, at + 30) & 0xFFFF);
            int commentLength = (int) (le32(zip, at + 32) & 0xFFFF);
            at += 46 + nameLength + extraLength + commentLength;
        }
        return headers;
    }

    /**
     * Writes archives field by field, for what {@link ZipOutputStream} refuses to write: escaping or duplicate names,
     * invalid UTF-8, other methods, encryption flags, local extra fields that differ from the central ones, forced
     * ZIP64 fields.
     */
    public static final class Raw {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream central = new ByteArrayOutputStream();
        private final Map<String, Integer> offsets = new LinkedHashMap<>();
        private int count;
        private boolean zip64;

        public Raw stored(String name, byte[] content) {
            return entry(name.getBytes(StandardCharsets.UTF_8), 0, content, crc(content), content.length, 0x800,
                    new byte[0], new byte[0], false);
        }

        public Raw deflated(String name, byte[] content) {
            return entry(name.getBytes(StandardCharsets.UTF_8), 8, deflate(content), crc(content), content.length,
                    0x800, new byte[0], new byte[0], false);
        }

        /** An entry whose local extra field is longer than its central one, as Info-ZIP writes them. */
        public Raw withLongLocalExtra(String name, byte[] content, int localExtraLength) {
            byte[] extra = new byte[localExtraLength];
            putLe16(extra, 0, 0x5455); // "extended timestamp", ignored by readers
            putLe16(extra, 2, localExtraLength - 4);
            return entry(name.getBytes(StandardCharsets.UTF_8), 0, content, crc(content), content.length, 0x800,
                    extra, new byte[0], false);
        }

        /** A deflated entry whose sizes and offset live in the ZIP64 extra field. */
        public Raw zip64Deflated(String name, byte[] content) {
            zip64 = true;
            return entry(name.getBytes(StandardCharsets.UTF_8), 8, deflate(content), crc(content), content.length,
                    0x800, new byte[0], new byte[0], true);
        }

        public Raw entry(byte[] name, int method, byte[] data, long crc, long uncompressedSize, int flags, byte[] localExtra,
                  byte[] centralExtra, boolean forceZip64) {
            int offset = out.size();
            offsets.put(new String(name, StandardCharsets.UTF_8), offset);
            writeLe32(out, 0x04034b50);
            writeLe16(out, 20);
            writeLe16(out, flags);
            writeLe16(out, method);
            writeLe16(out, 0);
            writeLe16(out, 0x21);
            writeLe32(out, crc);
            writeLe32(out, data.length);
            writeLe32(out, uncompressedSize);
            writeLe16(out, name.length);
            writeLe16(out, localExtra.length);
            out.writeBytes(name);
            out.writeBytes(localExtra);
            out.writeBytes(data);

            byte[] zip64Extra = new byte[0];
            if (forceZip64) {
                zip64Extra = new byte[28];
                putLe16(zip64Extra, 0, 0x0001);
                putLe16(zip64Extra, 2, 24);
                putLe64(zip64Extra, 4, uncompressedSize);
                putLe64(zip64Extra, 12, data.length);
                putLe64(zip64Extra, 20, offset);
            }
            writeLe32(central, 0x02014b50);
            writeLe16(central, 0x031E);
            writeLe16(central, forceZip64 ? 45 : 20);
            writeLe16(central, flags);
            writeLe16(central, method);
            writeLe16(central, 0);
            writeLe16(central, 0x21);
            writeLe32(central, crc);
            writeLe32(central, forceZip64 ? 0xFFFFFFFFL : data.length);
            writeLe32(central, forceZip64 ? 0xFFFFFFFFL : uncompressedSize);
            writeLe16(central, name.length);
            writeLe16(central, centralExtra.length + zip64Extra.length);
            writeLe16(central, 0);
            writeLe16(central, 0);
            writeLe16(central, 0);
            writeLe32(central, 0);
            writeLe32(central, forceZip64 ? 0xFFFFFFFFL : offset);
            central.writeBytes(name);
            central.writeBytes(centralExtra);
            central.writeBytes(zip64Extra);
            count++;
            return this;
        }

        /** Adds a central directory header that points at an entry already written, under another name. */
        public Raw aliasOf(String existing, String alias, int method, long compressedSize, long size, long crc) {
            return headerAt(offsets.get(existing), alias, method, compressedSize, size, crc);
        }

        /** Adds a central directory header for a local header at {@code offset}, e.g. one inside another's data. */
        public Raw headerAt(long offset, String alias, int method, long compressedSize, long size, long crc) {
            byte[] name = alias.getBytes(StandardCharsets.UTF_8);
            writeLe32(central, 0x02014b50);
            writeLe16(central, 0x031E);
            writeLe16(central, 20);
            writeLe16(central, 0x800);
            writeLe16(central, method);
            writeLe16(central, 0);
            writeLe16(central, 0x21);
            writeLe32(central, crc);
            writeLe32(central, compressedSize);
            writeLe32(central, size);
            writeLe16(central, name.length);
            writeLe16(central, 0);
            writeLe16(central, 0);
            writeLe16(central, 0);
            writeLe16(central, 0);
            writeLe32(central, 0);
            writeLe32(central, offset);
            central.writeBytes(name);
            count++;
            return this;
        }

        public byte[] build() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            long directoryOffset = all.size();
            all.writeBytes(central.toByteArray());
            long directorySize = central.size();
            if (zip64) {
                long recordOffset = all.size();
                writeLe32(all, 0x06064b50);
                writeLe64(all, 44);
                writeLe16(all, 45);
                writeLe16(all, 45);
                writeLe32(all, 0);
                writeLe32(all, 0);
                writeLe64(all, count);
                writeLe64(all, count);
                writeLe64(all, directorySize);
                writeLe64(all, directoryOffset);
                writeLe32(all, 0x07064b50);
                writeLe32(all, 0);
                writeLe64(all, recordOffset);
                writeLe32(all, 1);
            }
            writeLe32(all, 0x06054b50);
            writeLe16(all, 0);
            writeLe16(all, 0);
            writeLe16(all, zip64 ? 0xFFFF : count);
            writeLe16(all, zip64 ? 0xFFFF : count);
            writeLe32(all, zip64 ? 0xFFFFFFFFL : directorySize);
            writeLe32(all, zip64 ? 0xFFFFFFFFL : directoryOffset);
            writeLe16(all, 0);
            return all.toByteArray();
        }

        private static void writeLe16(ByteArrayOutputStream out, int value) {
            out.write(value & 0xFF);
            out.write((value >>> 8) & 0xFF);
        }

        private static void writeLe32(ByteArrayOutputStream out, long value) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (value >>> (8 * i)) & 0xFF);
            }
        }

        private static void writeLe64(ByteArrayOutputStream out, long value) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (value >>> (8 * i)) & 0xFF);
            }
        }

        private static void putLe64(byte[] b, int at, long value) {
            for (int i = 0; i < 8; i++) {
                b[at + i] = (byte) (value >>> (8 * i));
            }
        }
    }
}
