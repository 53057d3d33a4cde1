package io.jobyard.application.stream;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;

/**
 * Opens a range of one blob (a staged upload, a published artifact, a live log); the caller closes the content. A
 * {@link io.jobyard.application.port.in.Download} opens its bytes through one, and the archive indexer reads a staged
 * upload through one.
 */
@FunctionalInterface
public interface RangedReader {
    BlobContent read(ByteRange range);
}
