package io.jobyard.application.contract;

import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.StagedBlob;
import io.jobyard.application.port.out.StoredBlob;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.jobyard.application.contract.StoreTestBytes.bytes;
import static io.jobyard.application.contract.StoreTestBytes.failingAfter;
import static io.jobyard.application.contract.StoreTestBytes.readAll;
import static io.jobyard.application.contract.StoreTestBytes.sha256;
import static io.jobyard.application.contract.StoreTestBytes.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ArtifactStore} must do (issue 5): two-phase writes where nothing is visible before publish and
 * nothing is left behind by a failed or oversized upload, atomic replacement, exact ranged reads, and the error
 * kinds the services rely on (missing key → {@link NotFoundException}, start past the end →
 * {@link RangeNotSatisfiableException} carrying the size, a start exactly at the end → an empty read).
 *
 * <p>An adapter test extends this and supplies {@link #newStore()} over EMPTY storage (a fresh temporary directory, a
 * fresh bucket or prefix) — the staging assertions count what {@code cleanupStaging} removes. Keys are what the
 * services generate: relative {@code /}-separated paths of {@code [A-Za-z0-9._-]} segments, never one key a prefix
 * directory of another. To run the crash test, override {@link #simulateCrashMidStage} (and {@link #restart} when a
 * new instance over the same storage is what "after the restart" means); otherwise it is skipped.
 */
public abstract class ArtifactStoreContract {

    protected ArtifactStore store;

    /** A store over empty storage; called before each test. */
    protected abstract ArtifactStore newStore();

    /**
     * Leaves in {@code store}'s backing storage exactly what a process killed in the middle of
     * {@link ArtifactStore#stage} would: e.g. a partial staging file, or an unfinished multipart upload / partial
     * staging object holding {@code writtenSoFar}. The default skips the crash test.
     */
    protected void simulateCrashMidStage(ArtifactStore store, byte[] writtenSoFar) {
        Assumptions.abort("this store does not simulate a crash mid-upload");
    }

    /** A new instance over the same backing storage, as after a restart. The default reuses the instance. */
    protected ArtifactStore restart(ArtifactStore store) {
        return store;
    }

    /** The size of the "large" blob; an object store may raise it past its multipart threshold. */
    protected int largeBlobSize() {
        return 6 * 1024 * 1024 + 123;
    }

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    private static String key(String name) {
        return "projects/1/jobs/" + Math.abs(UUID.randomUUID().getLeastSignificantBits() % 100_000) + "/" + name
                + "-" + UUID.randomUUID();
    }

    private StagedBlob stage(byte[] content) {
        return store.stage(new ByteArrayInputStream(content), Long.MAX_VALUE);
    }

    private String published(byte[] content) {
        String key = key("blob");
        store.publish(stage(content), key);
        return key;
    }

    // ----------------------------------------------------------------------------------------------- staging

    @Test
    void stagingComputesSizeAndSha256AndCanBeReadBack() {
        byte[] content = bytes(300_000, 1);

        StagedBlob staged = stage(content);

        assertThat(staged.size()).isEqualTo(content.length);
        assertThat(staged.sha256()).isEqualTo(sha256(content));
        assertThat(readAll(store.readStaged(staged, ByteRange.ALL))).isEqualTo(content);
        BlobContent tail = store.readStaged(staged, new ByteRange(content.length - 22, 22));
        assertThat(tail.totalSize()).isEqualTo(content.length);
        assertThat(tail.offset()).isEqualTo(content.length - 22);
        assertThat(readAll(tail)).isEqualTo(slice(content, content.length - 22, 22));
        assertThat(readAll(store.readStaged(staged, new ByteRange(1000, 70_000))))
                .isEqualTo(slice(content, 1000, 70_000));
    }

    @Test
    void stagedReadsPastTheEndAreRangeNotSatisfiable() {
        StagedBlob staged = stage(bytes(100, 2));

        assertThatThrownBy(() -> store.readStaged(staged, ByteRange.from(101)))
                .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                        e -> assertThat(e.currentLength()).isEqualTo(100));
    }

    @Test
    void nothingIsVisibleBeforePublish() {
        String key = key("invisible");
        stage(bytes(1000, 3));

        assertThat(store.size(key)).isEmpty();
        assertThatThrownBy(() -> store.read(key, ByteRange.ALL)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void anUploadAtTheLimitIsAcceptedAndOneByteMoreIsRefusedLeavingNothing() {
        byte[] content = bytes(10_000, 4);

        StagedBlob atLimit = store.stage(new ByteArrayInputStream(content), content.length);
        assertThat(atLimit.size()).isEqualTo(content.length);
        store.discard(atLimit);

        assertThatThrownBy(() -> store.stage(new ByteArrayInputStream(content), content.length - 1))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThat(store.cleanupStaging(Duration.ZERO)).as("staging litter after a refused upload").isZero();
    }

    @Test
    void aBodyThatFailsMidStreamLeavesNothingStaged() {
        assertThatThrownBy(() -> store.stage(failingAfter(bytes(200_000, 5)), Long.MAX_VALUE))
                .isInstanceOf(RuntimeException.class)
                .isNotInstanceOf(PayloadTooLargeException.class);

        assertThat(store.cleanupStaging(Duration.ZERO)).as("staging litter after a failed upload").isZero();
    }

    @Test
    void discardDropsTheUploadAndIsIdempotent() {
        StagedBlob staged = stage(bytes(5000, 6));

        store.discard(staged);
        store.discard(staged);

        assertThatThrownBy(() -> store.readStaged(staged, ByteRange.ALL)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.publish(staged, key("late"))).isInstanceOf(NotFoundException.class);
        assertThat(store.cleanupStaging(Duration.ZERO)).isZero();
    }

    @Test
    void cleanupRemovesOnlyOldStagingAndNeverPublishedBlobs() {
        byte[] kept = bytes(2000, 7);
        String key = published(kept);
        StagedBlob inFlight = stage(bytes(3000, 8));

        assertThat(store.cleanupStaging(Duration.ofHours(1))).as("an upload in progress is not litter").isZero();
        assertThat(readAll(store.readStaged(inFlight, ByteRange.ALL))).hasSize(3000);

        assertThat(store.cleanupStaging(Duration.ZERO)).isEqualTo(1);
        assertThatThrownBy(() -> store.readStaged(inFlight, ByteRange.ALL)).isInstanceOf(NotFoundException.class);
        assertThat(readAll(store.read(key, ByteRange.ALL))).isEqualTo(kept);
    }

    @Test
    void aCrashMidUploadLeavesNothingVisibleAndLitterThatCleanupRemovesAfterRestart() {
        String key = published(bytes(100, 9));
        simulateCrashMidStage(store, bytes(123_456, 10));

        ArtifactStore restarted = restart(store);

        assertThat(readAll(restarted.read(key, ByteRange.ALL))).isEqualTo(bytes(100, 9));
        assertThat(restarted.cleanupStaging(Duration.ZERO)).isGreaterThanOrEqualTo(1);
        assertThat(restarted.cleanupStaging(Duration.ZERO)).isZero();
        assertThat(restarted.size(key)).contains(100L);
    }

    // ------------------------------------------------------------------------------------------ publish / read

    @Test
    void publishMakesTheBytesVisibleUnderTheKey() {
        byte[] content = bytes(250_000, 11);
        String key = key("artifacts.zip");

        store.publish(stage(content), key);

        assertThat(store.size(key)).contains((long) content.length);
        BlobContent all = store.read(key, ByteRange.ALL);
        assertThat(all.totalSize()).isEqualTo(content.length);
        assertThat(all.offset()).isZero();
        assertThat(readAll(all)).isEqualTo(content);
        assertThat(store.cleanupStaging(Duration.ZERO)).as("publish consumes the staged upload").isZero();
    }

    @Test
    void aStagedUploadCanBePublishedOnce() {
        StagedBlob staged = stage(bytes(100, 12));
        store.publish(staged, key("first"));

        assertThatThrownBy(() -> store.publish(staged, key("second"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void discardAfterPublishLeavesThePublishedBlob() {
        byte[] content = bytes(4096, 13);
        StagedBlob staged = stage(content);
        String key = key("kept");
        store.publish(staged, key);

        store.discard(staged);

        assertThat(readAll(store.read(key, ByteRange.ALL))).isEqualTo(content);
    }

    @Test
    void publishingUnderAnExistingKeyReplacesTheBlobWhole() {
        String key = published(bytes(1000, 14));
        byte[] replacement = bytes(777, 15);

        store.publish(stage(replacement), key);

        assertThat(store.size(key)).contains(777L);
        assertThat(readAll(store.read(key, ByteRange.ALL))).isEqualTo(replacement);
    }

    @Test
    void rangedReadsReturnExactlyTheRangeWithItsPosition() {
        byte[] content = bytes(200_000, 16);
        String key = published(content);

        for (long[] range : new long[][]{{0, 1}, {0, 10}, {100, 50}, {65_535, 2}, {131_071, 3}, {199_990, 10}}) {
            BlobContent part = store.read(key, new ByteRange(range[0], range[1]));
            assertThat(part.offset()).isEqualTo(range[0]);
            assertThat(part.length()).isEqualTo(range[1]);
            assertThat(part.totalSize()).isEqualTo(content.length);
            assertThat(readAll(part)).as("range %d+%d", range[0], range[1])
                    .isEqualTo(slice(content, range[0], range[1]));
        }
        assertThat(readAll(store.read(key, ByteRange.from(150_000)))).isEqualTo(slice(content, 150_000, 50_000));
        BlobContent clipped = store.read(key, new ByteRange(199_995, 100));
        assertThat(clipped.length()).as("a range running past the end is clipped").isEqualTo(5);
        assertThat(readAll(clipped)).isEqualTo(slice(content, 199_995, 5));
    }

    @Test
    void aReadStartingAtTheEndIsEmptyAndPastTheEndIsRangeNotSatisfiable() {
        String key = published(bytes(1000, 17));

        BlobContent atEnd = store.read(key, ByteRange.from(1000));
        assertThat(atEnd.length()).isZero();
        assertThat(readAll(atEnd)).isEmpty();
        assertThatThrownBy(() -> store.read(key, ByteRange.from(1001)))
                .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                        e -> assertThat(e.currentLength()).isEqualTo(1000));
        assertThatThrownBy(() -> store.read(key, new ByteRange(5000, 10)))
                .isInstanceOf(RangeNotSatisfiableException.class);
    }

    @Test
    void anEmptyBlobIsStoredAndRead() {
        String key = published(new byte[0]);

        assertThat(store.size(key)).contains(0L);
        BlobContent content = store.read(key, ByteRange.ALL);
        assertThat(content.totalSize()).isZero();
        assertThat(readAll(content)).isEmpty();
    }

    @Test
    void aLargeBlobStreamsThroughIntact() {
        byte[] content = bytes(largeBlobSize(), 18);

        StagedBlob staged = stage(content);
        assertThat(staged.sha256()).isEqualTo(sha256(content));
        String key = key("large");
        store.publish(staged, key);

        assertThat(sha256(readAll(store.read(key, ByteRange.ALL)))).isEqualTo(sha256(content));
        long middle = content.length / 2;
        assertThat(readAll(store.read(key, new ByteRange(middle - 3, 7)))).isEqualTo(slice(content, middle - 3, 7));
    }

    @Test
    void twoOpenReadsOfOneBlobAreIndependent() {
        byte[] content = bytes(100_000, 19);
        String key = published(content);

        try (BlobContent first = store.read(key, ByteRange.ALL);
             BlobContent second = store.read(key, new ByteRange(50_000, 50_000))) {
            byte[] a = first.stream().readNBytes(10);
            byte[] b = second.stream().readAllBytes();
            byte[] rest = first.stream().readAllBytes();
            assertThat(a).isEqualTo(slice(content, 0, 10));
            assertThat(b).isEqualTo(slice(content, 50_000, 50_000));
            assertThat(rest).isEqualTo(slice(content, 10, content.length - 10));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMissingKeyIsNotFound() {
        String key = key("never-written");

        assertThat(store.size(key)).isEmpty();
        assertThatThrownBy(() -> store.read(key, ByteRange.ALL)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteRemovesTheBlobAndIsIdempotent() {
        String key = published(bytes(500, 20));
        String other = published(bytes(600, 21));

        store.delete(key);
        store.delete(key);
        store.delete(key("never-written"));

        assertThat(store.size(key)).isEmpty();
        assertThatThrownBy(() -> store.read(key, ByteRange.ALL)).isInstanceOf(NotFoundException.class);
        assertThat(store.size(other)).contains(600L);
    }

    // --------------------------------------------------------------------------------------------- listing

    /** Far enough from now that a store's clock (an object store's own, at one-second precision) cannot matter. */
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(10);

    private List<StoredBlob> listed(String prefix, Instant modifiedBefore) {
        try (Stream<StoredBlob> blobs = store.listBlobs(prefix, modifiedBefore)) {
            return blobs.toList();
        }
    }

    @Test
    void listingShowsEveryPublishedBlobUnderThePrefixWithItsSizeAndAge() {
        Instant before = Instant.now();
        String first = published(bytes(1234, 30));
        String second = published(new byte[0]);
        String elsewhere = "elsewhere/" + UUID.randomUUID();
        store.publish(stage(bytes(10, 31)), elsewhere);
        stage(bytes(999, 32)); // staged only: never listed
        Instant after = Instant.now();

        List<StoredBlob> blobs = listed("projects/", after.plus(CLOCK_SLACK));

        assertThat(blobs).extracting(StoredBlob::key).containsExactlyInAnyOrder(first, second);
        assertThat(blobs).filteredOn(b -> b.key().equals(first)).singleElement()
                .satisfies(b -> assertThat(b.size()).isEqualTo(1234));
        assertThat(blobs).filteredOn(b -> b.key().equals(second)).singleElement()
                .satisfies(b -> assertThat(b.size()).isZero());
        assertThat(blobs).allSatisfy(b -> assertThat(b.lastModified())
                .isBetween(before.minus(CLOCK_SLACK), after.plus(CLOCK_SLACK)));
        assertThat(listed("", after.plus(CLOCK_SLACK))).extracting(StoredBlob::key)
                .containsExactlyInAnyOrder(first, second, elsewhere);
    }

    @Test
    void aPrefixNeedNotEndAtASegment() {
        String key = "projects/42/jobs/7/" + UUID.randomUUID();
        store.publish(stage(bytes(100, 33)), key);
        String other = "projects/43/jobs/7/" + UUID.randomUUID();
        store.publish(stage(bytes(100, 34)), other);
        Instant later = Instant.now().plus(CLOCK_SLACK);

        assertThat(listed("projects/42/jo", later)).extracting(StoredBlob::key).containsExactly(key);
        assertThat(listed("projects/4", later)).extracting(StoredBlob::key).containsExactlyInAnyOrder(key, other);
        assertThat(listed("projects/44", later)).isEmpty();
        assertThat(listed(key, later)).extracting(StoredBlob::key).containsExactly(key);
    }

    @Test
    void onlyBlobsLastModifiedBeforeTheCutoffAreListed() {
        Instant before = Instant.now();
        published(bytes(100, 35));

        assertThat(listed("projects/", before.minus(CLOCK_SLACK))).as("a cutoff before the publish").isEmpty();
        assertThat(listed("projects/", Instant.now().plus(CLOCK_SLACK))).hasSize(1);
    }

    @Test
    void deletedAndReplacedBlobsAreListedAsTheyAreNow() {
        String deleted = published(bytes(100, 36));
        String replaced = published(bytes(100, 37));
        store.delete(deleted);
        store.publish(stage(bytes(300, 38)), replaced);

        List<StoredBlob> blobs = listed("projects/", Instant.now().plus(CLOCK_SLACK));

        assertThat(blobs).extracting(StoredBlob::key).containsExactly(replaced);
        assertThat(blobs.get(0).size()).isEqualTo(300);
    }

    @Test
    void aListingOfManyBlobsYieldsEachOnceAndCanBeAbandonedEarly() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            keys.add(published(bytes(10 + i, 40 + i)));
        }
        Instant later = Instant.now().plus(CLOCK_SLACK);

        List<String> all = listed("projects/", later).stream().map(StoredBlob::key).toList();
        assertThat(all).hasSize(25).containsExactlyInAnyOrderElementsOf(keys);
        try (Stream<StoredBlob> blobs = store.listBlobs("projects/", later)) {
            assertThat(blobs.limit(3).toList()).hasSize(3);
        }
    }

    // ------------------------------------------------------------------------------------------- concurrency

    @Test
    void concurrentPublishesToOneKeyAlwaysShowOneWholeBlob() throws Exception {
        int writers = 6;
        List<byte[]> candidates = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            candidates.add(bytes(64 * 1024 + i * 1000, 100 + i));
        }
        Set<String> candidateDigests = candidates.stream().map(StoreTestBytes::sha256).collect(Collectors.toSet());
        String key = key("contested");
        List<StagedBlob> staged = candidates.stream().map(this::stage).toList();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> seen = new CopyOnWriteArrayList<>();
        try {
            Future<?> reader = pool.submit(() -> {
                start.await();
                while (writing.get()) {
                    try {
                        seen.add(sha256(readAll(store.read(key, ByteRange.ALL))));
                    } catch (NotFoundException notYet) {
                        // Before the first publish there is nothing: fine.
                    }
                }
                return null;
            });
            List<Future<?>> publishes = new ArrayList<>();
            for (StagedBlob blob : staged) {
                publishes.add(pool.submit(() -> {
                    start.await();
                    store.publish(blob, key);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> publish : publishes) {
                publish.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(seen).as("every read saw one complete candidate").allMatch(candidateDigests::contains);
        assertThat(sha256(readAll(store.read(key, ByteRange.ALL)))).isIn(candidateDigests);
        assertThat(store.cleanupStaging(Duration.ZERO)).isZero();
    }

    @Test
    void concurrentUploadsToDistinctKeysAllLand() throws Exception {
        int uploads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> keys = new ArrayList<>();
        try {
            for (int i = 0; i < uploads; i++) {
                byte[] content = bytes(50_000, 200 + i);
                keys.add(pool.submit(() -> published(content)));
            }
            for (int i = 0; i < uploads; i++) {
                String key = keys.get(i).get(60, TimeUnit.SECONDS);
                assertThat(readAll(store.read(key, ByteRange.ALL))).isEqualTo(bytes(50_000, 200 + i));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
