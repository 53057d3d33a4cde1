package io.jobyard.application.port.out;

import io.jobyard.domain.job.JobId;

import java.io.InputStream;

/**
 * Live job logs while jobs run: appended at exact offsets in fixed-size chunks, readable as ranged streams, removed
 * once the log has been archived as a trace artifact.
 */
public interface TraceStore {

    /**
     * Appends {@code data} at {@code offset}, durably, before returning.
     *
     * @return the new length of the log
     * @throws io.jobyard.domain.error.RangeNotSatisfiableException carrying the current length when {@code offset} is
     *         not the current length (nothing is written)
     * @throws io.jobyard.domain.error.PayloadTooLargeException when the log would exceed {@code maxLength}
     */
    long append(JobId job, long offset, InputStream data, long maxLength);

    /** The current length; 0 when there is no live log. */
    long length(JobId job);

    /**
     * Opens part of the live log.
     *
     * @throws io.jobyard.domain.error.RangeNotSatisfiableException when {@code range} starts past the end
     */
    BlobContent read(JobId job, ByteRange range);

    /** Removes the live log. Idempotent. */
    void delete(JobId job);
}
