package io.jobyard.application.stream;

import io.jobyard.application.port.out.BlobContent;

import java.nio.channels.FileChannel;

/**
 * Implemented by a {@link BlobContent} stream that reads a region of a local file: an HTTP adapter may then hand the
 * region to the kernel ({@code sendfile}) instead of copying it through the heap. Reading it as a stream stays
 * equivalent; a store whose blobs are not local files simply does not implement this.
 */
public interface FileRegion {

    /** The open file; it belongs to the stream and is closed with it. */
    FileChannel channel();

    /** Where the bytes not yet read start in the file. */
    long position();

    /** How many bytes are left to read. */
    long count();
}
