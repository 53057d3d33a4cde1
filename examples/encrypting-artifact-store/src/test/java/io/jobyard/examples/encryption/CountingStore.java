package io.jobyard.examples.encryption;

import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.StagedBlob;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** A store that counts the bytes its reads are asked for, to show that ranged reads stay ranged. */
class CountingStore implements ArtifactStore {
    private final ArtifactStore delegate;
    private final AtomicLong fetched;

    CountingStore(ArtifactStore delegate, AtomicLong fetched) {
        this.delegate = delegate;
        this.fetched = fetched;
    }

    @Override
    public StagedBlob stage(InputStream content, long maxBytes) {
        return delegate.stage(content, maxBytes);
    }

    @Override
    public BlobContent readStaged(StagedBlob staged, ByteRange range) {
        return delegate.readStaged(staged, range);
    }

    @Override
    public void publish(StagedBlob staged, String key) {
        delegate.publish(staged, key);
    }

    @Override
    public void discard(StagedBlob staged) {
        delegate.discard(staged);
    }

    @Override
    public BlobContent read(String key, ByteRange range) {
        BlobContent content = delegate.read(key, range);
        fetched.addAndGet(content.length());
        return content;
    }

    @Override
    public Optional<Long> size(String key) {
        return delegate.size(key);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public int cleanupStaging(Duration olderThan) {
        return delegate.cleanupStaging(olderThan);
    }
}
