package io.jobyard.application.stream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Streams the bytes {@code [position, position + length)} of a source read by position — a file, a log kept in chunk
 * files or in chunk rows — one positional read at a time, so a range of any size is never held in memory. A subclass
 * only reads ({@link #readAt}); this class keeps the position and what is left of the range, and answers the end of the
 * range, single-byte reads and skips the same way for every source.
 */
public abstract class RangeInputStream extends InputStream {
    private long position;
    private long remaining;

    protected RangeInputStream(long position, long length) {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("position and length must not be negative");
        }
        this.position = position;
        this.remaining = length;
    }

    /**
     * Reads bytes at {@code position} of the source into {@code buffer}.
     *
     * @param length at least one, and no more than what is left of the range
     * @return how many bytes were read, at least one
     * @throws IOException when the source ends before the range does: the caller was promised those bytes, so this is
     *                     an error, never the end of the stream
     */
    protected abstract int readAt(long position, byte[] buffer, int offset, int length) throws IOException;

    /** Where the bytes not read yet start in the source. */
    public final long position() {
        return position;
    }

    /** How many bytes of the range are not read yet. */
    public final long remaining() {
        return remaining;
    }

    @Override
    public final int read() throws IOException {
        return SingleByte.read(this);
    }

    @Override
    public final int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        int n = readAt(position, buffer, offset, (int) Math.min(length, remaining));
        if (n <= 0) {
            throw new IOException("the source ended " + remaining + " bytes early at position " + position);
        }
        position += n;
        remaining -= n;
        return n;
    }

    @Override
    public final long skip(long n) {
        long skipped = Math.max(0, Math.min(n, remaining));
        position += skipped;
        remaining -= skipped;
        return skipped;
    }

    /** Ends the range: what is left is not read any more. Subclasses release their source and call this. */
    @Override
    public void close() throws IOException {
        remaining = 0;
    }
}
