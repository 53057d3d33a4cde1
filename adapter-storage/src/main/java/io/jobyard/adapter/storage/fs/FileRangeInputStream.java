package io.jobyard.adapter.storage.fs;

import io.jobyard.application.stream.FileRegion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Streams {@code length} bytes of a file from {@code position} with positional reads, so the file is never read
 * whole and the channel's own position is never shared state. Closing the stream closes the channel.
 */
public final class FileRangeInputStream extends InputStream implements FileRegion {
    private final FileChannel channel;
    private long position;
    private long remaining;

    public FileRangeInputStream(FileChannel channel, long position, long length) {
        this.channel = Objects.requireNonNull(channel, "channel");
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("position and length must not be negative");
        }
        this.position = position;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        ByteBuffer target = ByteBuffer.wrap(buffer, offset, (int) Math.min(length, remaining));
        int n = channel.read(target, position);
        if (n < 0) {
            // The file shrank under us: the caller was promised `remaining` more bytes, so this is an error, not EOF.
            throw new IOException("file ended " + remaining + " bytes early at position " + position);
        }
        position += n;
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, remaining));
        position += skipped;
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    @Override
    public FileChannel channel() {
        return channel;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long count() {
        return remaining;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
