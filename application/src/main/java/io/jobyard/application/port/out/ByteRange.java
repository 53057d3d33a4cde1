package io.jobyard.application.port.out;

import io.jobyard.domain.error.RangeNotSatisfiableException;

/**
 * A byte range in a blob: {@code length} bytes from {@code offset}; {@link #TO_END} reads to the end.
 */
public record ByteRange(long offset, long length) {
    public static final long TO_END = -1;
    public static final ByteRange ALL = new ByteRange(0, TO_END);

    public ByteRange {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (length < 0 && length != TO_END) {
            throw new IllegalArgumentException("length must not be negative");
        }
    }

    public static ByteRange from(long offset) {
        return new ByteRange(offset, TO_END);
    }

    /**
     * This range of a blob of {@code size} bytes: the real length to read, clipped to the end.
     *
     * @throws RangeNotSatisfiableException when it starts past the end (a range starting at the end is empty)
     */
    public long satisfiableLengthWithin(long size) {
        if (offset > size) {
            throw new RangeNotSatisfiableException(size);
        }
        return lengthWithin(size);
    }

    /** This range clipped to a blob of {@code size} bytes: the real length to read. */
    public long lengthWithin(long size) {
        long available = Math.max(0, size - offset);
        return length == TO_END ? available : Math.min(length, available);
    }
}
