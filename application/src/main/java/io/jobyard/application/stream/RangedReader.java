package io.jobyard.application.stream;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;

/** Opens a range of one blob: a staged upload or a published artifact. */
@FunctionalInterface
public interface RangedReader {
    BlobContent read(ByteRange range);
}
