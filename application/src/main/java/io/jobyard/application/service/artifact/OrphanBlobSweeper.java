package io.jobyard.application.service.artifact;

import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.StoredBlob;
import io.jobyard.application.service.Batches;
import io.jobyard.application.service.runner.UploadArtifactService;
import io.jobyard.application.service.trace.TraceArchiver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Deletes orphans: published blobs that no artifact record names and that are older than a grace period.
 *
 * <p>Where orphans come from. An upload ({@link UploadArtifactService}) and the trace archiver ({@link TraceArchiver})
 * publish the bytes first and record them second, so that a record never names missing bytes; both delete their blob
 * when recording fails, but a crash (or a failed delete) between the two steps leaves the blob with no record. The
 * removal order of {@link ArtifactRemover} (record first, bytes second) leaves the same kind of litter when it stops
 * half-way. Nothing else would ever find those blobs again.
 *
 * <p>Why a referenced blob is never deleted, even one whose record is committed while this sweep runs:
 * <ol>
 *   <li>A record is only ever created for a blob its own call has just published, under a key nobody used before
 *       ({@link StorageKeys} puts a random UUID in every key). No record is ever made to point at an existing blob,
 *       and updates keep the key.</li>
 *   <li>A listed blob's {@code lastModified} is no earlier than the start of its publish ({@link StoredBlob}), and
 *       only blobs last modified before {@code start - grace} are listed, {@code start} being when this sweep began.
 *       </li>
 *   <li>The references of a batch are looked up after it was listed, so after {@code start}. A record committed by
 *       then is seen, and the blob is kept. A record committed later would belong to a publish that began before
 *       {@code start - grace} and recorded after {@code start}: one upload taking longer than the grace between the
 *       start of its publish and its commit.</li>
 * </ol>
 * So the grace must exceed the longest publish-to-commit time (a multipart upload of the largest artifact to object
 * storage plus one transaction with its retries) and the clock skew between the object store and this instance; the
 * default of one hour exceeds both by far. A blob deleted concurrently by a remover or by another instance's sweep is
 * simply deleted twice (deletes are idempotent), so several instances may sweep at once.
 *
 * <p>A pass walks the whole key space, so it runs at most once per grace period ({@link #sweepIfDue}): a blob becomes
 * collectable only once it is grace old, so an orphan is collected between one and two grace periods after it was
 * left, and an object store of millions of keys is listed once an hour, not on every sweep.
 */
public final class OrphanBlobSweeper {
    /** One hour: far longer than any publish and commit, and orphans are rare, so waiting costs nothing. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

    private final ArtifactStore store;
    private final ArtifactRepository artifacts;
    private final Clock clock;
    private final Duration grace;
    private final int batchSize;
    private final AtomicReference<Instant> lastPass = new AtomicReference<>();

    public OrphanBlobSweeper(ArtifactStore store, ArtifactRepository artifacts, Clock clock, Duration grace,
                             int batchSize) {
        this.store = Objects.requireNonNull(store, "store");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.grace = Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the orphan grace period must not be negative");
        }
        this.batchSize = Batches.size(batchSize);
    }

    /** What one pass did. */
    public record SweepResult(long examined, long deleted) {
    }

    /** A pass unless one began less than a grace period ago (the first call always runs one). */
    public Optional<SweepResult> sweepIfDue() {
        Instant now = clock.instant();
        Instant previous = lastPass.get();
        if (previous != null && now.isBefore(previous.plus(grace))) {
            return Optional.empty();
        }
        if (!lastPass.compareAndSet(previous, now)) {
            return Optional.empty(); // another thread has just started one
        }
        return Optional.of(sweep());
    }

    /** One pass over every artifact blob older than the grace period. */
    public SweepResult sweep() {
        return sweep(grace);
    }

    /**
     * One pass with a grace period of its own. {@code Duration.ZERO} is only safe while nothing uploads to this
     * storage (see {@link #sweepModifiedBefore}).
     */
    public SweepResult sweep(Duration graceForThisPass) {
        return sweepModifiedBefore(clock.instant().minus(graceForThisPass));
    }

    /**
     * One pass over the artifact blobs last modified before {@code cutoff}, whatever their age. Safe without a grace
     * period when no upload that began before {@code cutoff} can still record its blob: e.g. a process that alone
     * uses its database and storage, with {@code cutoff} taken before it opened them — every upload since is its
     * own and newer, and every older one belonged to a process that is gone and will record nothing.
     */
    public SweepResult sweepModifiedBefore(Instant cutoff) {
        long examined = 0;
        long deleted = 0;
        List<String> batch = new ArrayList<>(batchSize);
        try (Stream<StoredBlob> blobs = store.listBlobs(StorageKeys.ARTIFACT_PREFIX, cutoff)) {
            Iterator<StoredBlob> listing = blobs.iterator();
            while (listing.hasNext()) {
                batch.add(listing.next().key());
                if (batch.size() == batchSize || !listing.hasNext()) {
                    examined += batch.size();
                    deleted += deleteUnreferenced(batch);
                    batch.clear();
                }
            }
        }
        return new SweepResult(examined, deleted);
    }

    private int deleteUnreferenced(List<String> keys) {
        // Looked up only now, after the keys were listed: see the class comment for why that ordering is the safety.
        Set<String> referenced = artifacts.findReferencedStorageKeys(keys);
        int deleted = 0;
        for (String key : keys) {
            if (!referenced.contains(key)) {
                store.delete(key);
                deleted++;
            }
        }
        return deleted;
    }
}
