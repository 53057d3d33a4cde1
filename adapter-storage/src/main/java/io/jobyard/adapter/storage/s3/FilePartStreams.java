package io.jobyard.adapter.storage.s3;

import io.jobyard.adapter.storage.fs.FileRangeInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams one part of a staged file for an upload request. The SDK asks for a fresh stream on every attempt (a retry
 * starts over), so each call opens the range anew and closes the previous stream.
 */
final class FilePartStreams implements ContentStreamProvider, AutoCloseable {
    private final Path file;
    private final long offset;
    private final long length;
    private InputStream current;

    FilePartStreams(Path file, long offset, long length) {
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public InputStream newStream() {
        close();
        try {
            current = new FileRangeInputStream(FileChannel.open(file, StandardOpenOption.READ), offset, length);
            return current;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the staged upload " + file, e);
        }
    }

    @Override
    public String name() {
        return "StagedFilePart";
    }

    @Override
    public void close() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                current = null;
            }
        }
    }
}
