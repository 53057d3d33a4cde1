package io.jobyard.application.memory;

import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.StagedBlob;
import io.jobyard.application.port.out.StoredBlob;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Artifact bytes in memory, honouring the port's two-phase contract: staged uploads are invisible until published,
 * a failed or oversized upload leaves nothing staged, publish replaces a key atomically. It holds whole blobs as
 * arrays, which is fine for a test double and what a real store must not do. Thread-safe.
 *
 * <p>For tests it records every read (to count ranged reads and prove nothing reads a whole archive), can fail the
 * next publish, can leave the litter a crash would, and can hand out fake presigned URLs.
 */
public final class InMemoryArtifactStore implements ArtifactStore {

    /** One read of a published ({@code staged == false}) or staged blob. */
    public record Read(String key, boolean staged, long offset, long length) {
    }

    private record Staged(byte[] bytes, Instant createdAt) {
    }

    private record Published(byte[] bytes, Instant publishedAt) {
    }

    private final Clock clock;
    private final Map<String, Staged> staged = new ConcurrentHashMap<>();
    private final Map<String, Published> published = new ConcurrentHashMap<>();
    private final List<Read> reads = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failNextPublish = new AtomicBoolean();
    private volatile URI presignBase;

    public InMemoryArtifactStore() {
        this(Clock.systemUTC());
    }

    public InMemoryArtifactStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public StagedBlob stage(InputStream content, long maxBytes) {
        MessageDigest sha256 = sha256();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (InputStream in = content) {
            byte[] chunk = new byte[8192];
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                if ((long) buffer.size() + n > maxBytes) {
                    throw new PayloadTooLargeException("upload exceeds " + maxBytes + " bytes");
                }
                buffer.write(chunk, 0, n);
                sha256.update(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Only a complete upload is registered: a failure above leaves nothing staged.
        String id = UUID.randomUUID().toString();
        byte[] bytes = buffer.toByteArray();
        staged.put(id, new Staged(bytes, clock.instant()));
        return new StagedBlob(id, bytes.length, HexFormat.of().formatHex(sha256.digest()));
    }

    @Override
    public BlobContent readStaged(StagedBlob blob, ByteRange range) {
        Staged upload = staged.get(blob.stagingId());
        if (upload == null) {
            throw NotFoundException.plain("Staged upload");
        }
        BlobContent content = slice(upload.bytes(), range);
        reads.add(new Read(blob.stagingId(), true, content.offset(), content.length()));
        return content;
    }

    @Override
    public void publish(StagedBlob blob, String key) {
        Objects.requireNonNull(key, "key");
        if (failNextPublish.getAndSet(false)) {
            throw new UncheckedIOException(new IOException("simulated storage failure while publishing " + key));
        }
        Staged upload = staged.remove(blob.stagingId());
        if (upload == null) {
            throw NotFoundException.plain("Staged upload");
        }
        published.put(key, new Published(upload.bytes(), clock.instant()));
    }

    @Override
    public void discard(StagedBlob blob) {
        staged.remove(blob.stagingId());
    }

    @Override
    public BlobContent read(String key, ByteRange range) {
        Published blob = published.get(key);
        if (blob == null) {
            throw NotFoundException.plain("File");
        }
        BlobContent content = slice(blob.bytes(), range);
        reads.add(new Read(key, false, content.offset(), content.length()));
        return content;
    }

    @Override
    public Optional<Long> size(String key) {
        return Optional.ofNullable(published.get(key)).map(b -> (long) b.bytes().length);
    }

    @Override
    public void delete(String key) {
        published.remove(key);
    }

    @Override
    public int cleanupStaging(Duration olderThan) {
        Instant cutoff = clock.instant().minus(olderThan);
        int removed = 0;
        for (Map.Entry<String, Staged> upload : staged.entrySet()) {
            if (!upload.getValue().createdAt().isAfter(cutoff) && staged.remove(upload.getKey(), upload.getValue())) {
                removed++;
            }
        }
        return removed;
    }

    /** Lists a snapshot (it holds no more than a few test blobs); the age of a blob is its publish time. */
    @Override
    public Stream<StoredBlob> listBlobs(String keyPrefix, Instant modifiedBefore) {
        return Map.copyOf(published).entrySet().stream()
                .filter(blob -> blob.getKey().startsWith(keyPrefix))
                .filter(blob -> blob.getValue().publishedAt().isBefore(modifiedBefore))
                .map(blob -> new StoredBlob(blob.getKey(), blob.getValue().bytes().length,
                        blob.getValue().publishedAt()));
    }

    @Override
    public Optional<URI> presignedUrl(String key, Duration validFor, String downloadFilename) {
        URI base = presignBase;
        if (base == null || !published.containsKey(key)) {
            return Optional.empty();
        }
        return Optional.of(base.resolve(key + "?expires=" + clock.instant().plus(validFor).getEpochSecond()
                + "&filename=" + URLEncoder.encode(downloadFilename, StandardCharsets.UTF_8)));
    }

    // --------------------------------------------------------------------------------------------- test helpers

    /** Publishes {@code bytes} under {@code key} directly. */
    public void put(String key, byte[] bytes) {
        published.put(key, new Published(bytes.clone(), clock.instant()));
    }

    /** The keys that hold published blobs. */
    public Set<String> keys() {
        return Set.copyOf(published.keySet());
    }

    /** The bytes under {@code key}, if any. */
    public Optional<byte[]> bytes(String key) {
        return Optional.ofNullable(published.get(key)).map(b -> b.bytes().clone());
    }

    /** How many uploads are staged (neither published nor discarded). */
    public int stagedCount() {
        return staged.size();
    }

    /** Every read so far, in order. */
    public List<Read> reads() {
        return List.copyOf(reads);
    }

    public void clearReads() {
        reads.clear();
    }

    /** The next {@link #publish} fails as a storage error would, leaving the staged upload in place. */
    public void failNextPublish() {
        failNextPublish.set(true);
    }

    /** What a crash in the middle of {@link #stage} leaves behind: a staged upload nobody will publish. */
    public void leaveStagingLitter(byte[] writtenSoFar) {
        staged.put("crashed-" + UUID.randomUUID(), new Staged(writtenSoFar.clone(), clock.instant()));
    }

    /** From now on {@link #presignedUrl} answers with URLs under {@code base}, as object storage would. */
    public void offerPresignedUrls(URI base) {
        this.presignBase = base;
    }

    static BlobContent slice(byte[] bytes, ByteRange range) {
        if (range.offset() > bytes.length) {
            throw new RangeNotSatisfiableException(bytes.length);
        }
        long length = range.lengthWithin(bytes.length);
        return new BlobContent(new ByteArrayInputStream(bytes, (int) range.offset(), (int) length), bytes.length,
                range.offset(), length);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
