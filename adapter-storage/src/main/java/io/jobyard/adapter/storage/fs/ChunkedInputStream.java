package io.jobyard.adapter.storage.fs;

import io.jobyard.application.stream.RangeInputStream;

import java.io.IOException;
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
final class ChunkedInputStream extends RangeInputStream {
    private final LongFunction<Path> chunkFile;
    private final int chunkSize;
    private long openIndex = -1;
    private FileChannel open;

    ChunkedInputStream(LongFunction<Path> chunkFile, int chunkSize, long position, long length) {
        super(position, length);
        this.chunkFile = Objects.requireNonNull(chunkFile, "chunkFile");
        this.chunkSize = chunkSize;
    }

    @Override
    protected int readAt(long position, byte[] buffer, int offset, int length) throws IOException {
        long index = position / chunkSize;
        long within = position % chunkSize;
        int wanted = (int) Math.min(length, chunkSize - within);
        int n = chunk(index).read(ByteBuffer.wrap(buffer, offset, wanted), within);
        if (n < 0) {
            throw new IOException("chunk " + index + " ends before the committed length of the log");
        }
        return n;
    }

    @Override
    public int available() {
        return open == null ? 0 : (int) Math.min(remaining(), chunkSize - position() % chunkSize);
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
        super.close();
        closeOpenChunk();
    }
}
