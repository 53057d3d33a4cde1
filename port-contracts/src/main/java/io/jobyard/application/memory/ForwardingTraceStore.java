package io.jobyard.application.memory;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.domain.job.JobId;

import java.io.InputStream;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link TraceStore} that hands every call to another: tests extend it and override only the call they watch,
 * delay or break (count the reads, keep the live log at delete, check a log at the moment it is deleted).
 */
public class ForwardingTraceStore implements TraceStore {
    private final TraceStore delegate;

    public ForwardingTraceStore(TraceStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public long append(JobId job, long offset, InputStream data, long maxLength) {
        return delegate.append(job, offset, data, maxLength);
    }

    @Override
    public long length(JobId job) {
        return delegate.length(job);
    }

    @Override
    public Map<JobId, Long> lengths(Collection<JobId> jobs) {
        return delegate.lengths(jobs);
    }

    @Override
    public BlobContent read(JobId job, ByteRange range) {
        return delegate.read(job, range);
    }

    @Override
    public void delete(JobId job) {
        delegate.delete(job);
    }
}
