package io.jobyard.application.port.out;

import io.jobyard.domain.job.JobId;

import java.io.InputStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

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
     * The current lengths of many logs (0 for those without a live log), for the live log follow's poll: stores that
     * can answer in one read should.
     */
    default Map<JobId, Long> lengths(Collection<JobId> jobs) {
        Map<JobId, Long> lengths = new HashMap<>();
        for (JobId job : jobs) {
            lengths.put(job, length(job));
        }
        return lengths;
    }

    /**
     * Opens part of the live log.
     *
     * @throws io.jobyard.domain.error.RangeNotSatisfiableException when {@code range} starts past the end
     */
    BlobContent read(JobId job, ByteRange range);

    /** Removes the live log. Idempotent. */
    void delete(JobId job);
}
