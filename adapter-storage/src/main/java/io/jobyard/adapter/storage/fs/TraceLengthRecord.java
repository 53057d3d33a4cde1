package io.jobyard.adapter.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The committed length of a live log: the only thing that says how many chunk bytes are log. Stored in a small file
 * with two slots, written alternately, each {@code [sequence:8][length:8][crc32c:8]} in its own 512-byte sector:
 * <ul>
 *   <li>a commit overwrites only the slot holding the <em>older</em> record, so the newest durable record is never
 *       touched while the next one is written;</li>
 *   <li>a torn or half-written slot fails its checksum and is ignored, leaving the previous commit in force;</li>
 *   <li>the valid slot with the higher sequence wins, so readers need no lock and see either the old or the new
 *       length, never a mix.</li>
 * </ul>
 * One positional write and one {@code fdatasync} per commit: cheaper than write-temp-then-rename (which also needs
 * a directory fsync) and just as safe.
 */
record TraceLengthRecord(long sequence, long length) {
    static final TraceLengthRecord NONE = new TraceLengthRecord(0, 0);
    static final String FILE_NAME = "length";

    private static final int SLOT_SIZE = 24;
    private static final int SLOT_STRIDE = 512;

    /** The newest valid record in {@code file}, or {@link #NONE} when there is none (no file, or no commit yet). */
    static TraceLengthRecord read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            TraceLengthRecord newest = NONE;
            for (int slot = 0; slot < 2; slot++) {
                TraceLengthRecord candidate = readSlot(channel, slot);
                if (candidate != null && candidate.sequence > newest.sequence) {
                    newest = candidate;
                }
            }
            return newest;
        } catch (NoSuchFileException e) {
            return NONE;
        }
    }

    /** Durably records {@code newLength} as the successor of this record. */
    TraceLengthRecord commit(Path file, long newLength) throws IOException {
        TraceLengthRecord next = new TraceLengthRecord(sequence + 1, newLength);
        ByteBuffer slot = ByteBuffer.allocate(SLOT_SIZE);
        slot.putLong(next.sequence).putLong(next.length).putLong(checksum(next.sequence, next.length)).flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            long position = (next.sequence % 2) * SLOT_STRIDE;
            while (slot.hasRemaining()) {
                position += channel.write(slot, position);
            }
            channel.force(false);
        }
        return next;
    }

    private static TraceLengthRecord readSlot(FileChannel channel, int slot) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(SLOT_SIZE);
        long position = (long) slot * SLOT_STRIDE;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                return null;
            }
        }
        buffer.flip();
        long sequence = buffer.getLong();
        long length = buffer.getLong();
        long storedChecksum = buffer.getLong();
        if (sequence <= 0 || length < 0 || storedChecksum != checksum(sequence, length)) {
            return null;
        }
        return new TraceLengthRecord(sequence, length);
    }

    private static long checksum(long sequence, long length) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(16).putLong(sequence).putLong(length).flip());
        return crc.getValue();
    }
}
