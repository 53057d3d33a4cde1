package io.jobyard.application.port.out;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * An open stream over (part of) a stored blob, with its position in the whole. The reader must close it.
 *
 * @param totalSize the size of the whole blob
 * @param offset    where {@code stream} starts in the blob
 * @param length    how many bytes {@code stream} yields
 */
public record BlobContent(InputStream stream, long totalSize, long offset, long length) implements Closeable {
    public BlobContent {
        Objects.requireNonNull(stream, "stream");
        if (offset < 0 || length < 0 || offset + length > totalSize) {
            throw new IllegalArgumentException("content [" + offset + ", +" + length + ") outside a blob of "
                    + totalSize + " bytes");
        }
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
