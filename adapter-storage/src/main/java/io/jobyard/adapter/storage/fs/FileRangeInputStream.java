package io.jobyard.adapter.storage.fs;

import io.jobyard.application.stream.FileRegion;
import io.jobyard.application.stream.RangeInputStream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Streams {@code length} bytes of a file from {@code position} with positional reads, so the file is never read
 * whole and the channel's own position is never shared state. Closing the stream closes the channel.
 */
public final class FileRangeInputStream extends RangeInputStream implements FileRegion {
    private final FileChannel channel;

    public FileRangeInputStream(FileChannel channel, long position, long length) {
        super(position, length);
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    @Override
    protected int readAt(long position, byte[] buffer, int offset, int length) throws IOException {
        int n = channel.read(ByteBuffer.wrap(buffer, offset, length), position);
        if (n < 0) {
            // The file shrank under us: the caller was promised these bytes, so this is an error, not EOF.
            throw new IOException("file ended " + remaining() + " bytes early at position " + position);
        }
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining());
    }

    @Override
    public FileChannel channel() {
        return channel;
    }

    @Override
    public long count() {
        return remaining();
    }

    @Override
    public void close() throws IOException {
        super.close();
        channel.close();
    }
}
