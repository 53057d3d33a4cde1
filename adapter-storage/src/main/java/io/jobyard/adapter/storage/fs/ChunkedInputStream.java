package io.jobyard.adapter.storage.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Streams a byte range that spans fixed-size chunk files, opening one chunk at a time as the reader gets there, so a
 * log of any length is read with one open file and one small buffer.
 */
final class ChunkedInputStream extends InputStream {
    private final LongFunction<Path> chunkFile;
    private final int chunkSize;
    private long position;
    private long remaining;
    private long openIndex = -1;
    private FileChannel open;

    ChunkedInputStream(LongFunction<Path> chunkFile, int chunkSize, long position, long length) {
        this.chunkFile = Objects.requireNonNull(chunkFile, "chunkFile");
        this.chunkSize = chunkSize;
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
        long index = position / chunkSize;
        long within = position % chunkSize;
        FileChannel channel = chunk(index);
        int wanted = (int) Math.min(Math.min(length, remaining), chunkSize - within);
        int n = channel.read(ByteBuffer.wrap(buffer, offset, wanted), within);
        if (n < 0) {
            throw new IOException("chunk " + index + " ends before the committed length of the log");
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
        return open == null ? 0 : (int) Math.min(remaining, chunkSize - position % chunkSize);
    }

    private FileChannel chunk(long index) throws IOException {
        if (index != openIndex) {
            closeOpenChunk();
            Path file = chunkFile.apply(index);
            try {
                open = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new IOException("chunk " + index + " of the log is gone (the log was deleted while read)", e);
            }
            openIndex = index;
        }
        return open;
    }

    private void closeOpenChunk() throws IOException {
        if (open != null) {
            FileChannel closing = open;
            open = null;
            openIndex = -1;
            closing.close();
        }
    }

    @Override
    public void close() throws IOException {
        remaining = 0;
        closeOpenChunk();
    }
}
