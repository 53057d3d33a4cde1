package io.jobyard.application.service.artifact;

import io.jobyard.application.port.in.runner.UploadArtifactUseCase.UploadArtifactCommand;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.StagedBlob;
import io.jobyard.application.port.out.StoredBlob;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.jobyard.application.service.artifact.Zips.File;
import static io.jobyard.application.service.artifact.Zips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrphanBlobSweeperTest {
    private static final Duration GRACE = Duration.ofHours(1);

    private final ArtifactWorld world = new ArtifactWorld();
    private final byte[] archive = zip(File.stored("a.txt", "a"));

    private OrphanBlobSweeper sweeper(ArtifactStore store, int batchSize) {
        return world.ports.wire(world.settings.withOrphanGrace(GRACE), ports -> ports.artifactStore = store)
                .orphanBlobSweeper(batchSize);
    }

    private OrphanBlobSweeper sweeper() {
        return sweeper(world.store, 100);
    }

    /** What a crash between publish and record leaves: a blob under a key an upload would use, with no record. */
    private String orphan() {
        String key = "projects/" + world.project.id().value() + "/jobs/1/99-archive-" + UUID.randomUUID();
        world.store.put(key, new byte[] {1, 2, 3});
        return key;
    }

    @Test
    void anOrphanOlderThanTheGraceIsDeletedAndArtifactsOfAnyAgeAreKept() {
        JobArtifact oldArchive = world.uploadArchive(world.runningJob("old"), archive);
        String oldOrphan = orphan();
        world.clock.advance(GRACE.plusSeconds(1));
        JobArtifact newArchive = world.uploadArchive(world.runningJob("new"), archive);

        OrphanBlobSweeper.SweepResult result = sweeper().sweep();

        assertThat(result.deleted()).isEqualTo(1);
        assertThat(result.examined()).as("only blobs past the grace are looked at").isEqualTo(2);
        assertThat(world.store.keys()).containsExactlyInAnyOrder(oldArchive.storageKey(), newArchive.storageKey());
        assertThat(sweeper().sweep().deleted()).as("idempotent").isZero();
    }

    @Test
    void anOrphanYoungerThanTheGraceIsKeptUntilItIsOlder() {
        String orphan = orphan();
        world.clock.advance(GRACE.minusSeconds(1));

        assertThat(sweeper().sweep().deleted()).isZero();
        assertThat(world.store.keys()).containsExactly(orphan);

        world.clock.advance(Duration.ofSeconds(2));
        assertThat(sweeper().sweep().deleted()).isEqualTo(1);
        assertThat(world.store.keys()).isEmpty();
    }

    @Test
    void anArchivedLogIsReferencedLikeAnyArtifact() {
        Job job = world.runningJob("logged");
        world.traces.append(job.id(), 0, new ByteArrayInputStream("log\n".getBytes(StandardCharsets.UTF_8)), 1000);
        world.repos.jobs().update(world.reload(job).toBuilder().status(JobStatus.SUCCESS)
                .finishedAt(world.clock.instant()).build());
        JobArtifact trace = world.archiver.archive(job.id()).orElseThrow();
        String orphan = orphan();
        world.clock.advance(GRACE.multipliedBy(3));

        assertThat(sweeper().sweep().deleted()).isEqualTo(1);
        assertThat(world.store.keys()).containsExactly(trace.storageKey()).doesNotContain(orphan);
    }

    @Test
    void blobsOutsideTheArtifactKeysAreNeverTouched() {
        world.store.put("backups/2026-11-01.tar", new byte[] {9});
        world.store.put("readiness-probe", new byte[] {9});
        world.clock.advance(GRACE.multipliedBy(10));

        assertThat(sweeper().sweep().examined()).isZero();
        assertThat(world.store.keys()).containsExactlyInAnyOrder("backups/2026-11-01.tar", "readiness-probe");
    }

    @Test
    void referencesAreCheckedInBatchesAcrossTheWholeListing() {
        JobArtifact[] kept = new JobArtifact[4];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = world.uploadArchive(world.runningJob("job-" + i), archive);
        }
        for (int i = 0; i < 5; i++) {
            orphan();
        }
        world.clock.advance(GRACE.plusSeconds(1));

        OrphanBlobSweeper.SweepResult result = sweeper(world.store, 2).sweep();

        assertThat(result.examined()).isEqualTo(9);
        assertThat(result.deleted()).isEqualTo(5);
        assertThat(world.store.keys()).containsExactlyInAnyOrder(kept[0].storageKey(), kept[1].storageKey(),
                kept[2].storageKey(), kept[3].storageKey());
    }

    /**
     * The ordering the safety rests on: a record committed after the listing began — here while the blob is being
     * listed, the latest moment it can be — is still seen, because references are looked up after listing.
     */
    @Test
    void aBlobWhoseRecordIsCommittedWhileTheSweepListsIsKept() {
        Job job = world.runningJob("late");
        StagedBlob staged = world.store.stage(new ByteArrayInputStream(archive), Long.MAX_VALUE);
        String key = "projects/" + job.projectId().value() + "/jobs/" + job.id().value() + "/late-archive";
        world.store.publish(staged, key);
        world.clock.advance(GRACE.plusMinutes(5));
        ArtifactStore recordingWhileListed = new ListingHook(world.store, listed -> {
            if (listed.key().equals(key)) {
                world.repos.artifacts().insert(new JobArtifact(world.repos.artifacts().nextId(), job.id(),
                        job.projectId(), ArtifactFileType.ARCHIVE, ArtifactFormat.ZIP, "artifacts.zip",
                        staged.size(), staged.sha256(), null, false, ArtifactAccessibility.PUBLIC, key,
                        world.clock.instant()));
            }
        });

        OrphanBlobSweeper.SweepResult result = sweeper(recordingWhileListed, 100).sweep();

        assertThat(result.examined()).isEqualTo(1);
        assertThat(result.deleted()).isZero();
        assertThat(world.store.keys()).containsExactly(key);
    }

    /**
     * The other half: an upload between publish and record (its blob younger than the grace) is not listed, so its
     * record, whenever it commits, finds its bytes.
     */
    @Test
    void anUploadPublishedButNotYetRecordedIsNotCollected() {
        Job job = world.runningJob("slow");
        AtomicInteger sweeps = new AtomicInteger();
        // The sweep runs at the worst moment: right after publish, before the record's transaction.
        ArtifactStore sweepingAfterPublish = new ListingHook(world.store, listed -> { }) {
            @Override
            public void publish(StagedBlob blob, String key) {
                super.publish(blob, key);
                world.clock.advance(GRACE.minusSeconds(1));
                sweeps.incrementAndGet();
                assertThat(sweeper().sweep().deleted()).isZero();
            }
        };

        JobArtifact uploaded = world.uploads(ArtifactLimits.DEFAULTS, world.index, sweepingAfterPublish)
                .upload(UploadArtifactCommand.archive(job.id(), ArtifactWorld.tokenOf(job),
                        new ByteArrayInputStream(archive)));

        assertThat(sweeps).hasValue(1);
        world.clock.advance(GRACE.multipliedBy(5));
        assertThat(sweeper().sweep().deleted()).isZero();
        assertThat(world.store.keys()).containsExactly(uploaded.storageKey());
    }

    /** A crash between publish and record, end to end: the upload's own clean-up never runs, the sweep collects. */
    @Test
    void theBlobOfAnUploadThatDiedBeforeItsRecordIsCollectedAfterTheGrace() {
        Job job = world.runningJob("dies");
        ArtifactStore dyingBeforeCleanup = new ListingHook(world.store, listed -> { }) {
            @Override
            public void publish(StagedBlob staged, String key) {
                super.publish(staged, key);
                // The job ends while the upload publishes: its record is refused, the blob must go.
                Job running = world.reload(job);
                world.repos.jobs().update(running.succeed(world.clock.instant()));
            }

            @Override
            public void delete(String key) {
                throw new IllegalStateException("the process died before it could delete " + key);
            }
        };
        UploadArtifactUseCase uploads = world.uploads(ArtifactLimits.DEFAULTS, world.index, dyingBeforeCleanup);

        assertThatThrownBy(() -> uploads.upload(UploadArtifactCommand.archive(job.id(), ArtifactWorld.tokenOf(job),
                new ByteArrayInputStream(archive)))).isInstanceOf(RuntimeException.class);
        assertThat(world.store.keys()).as("the orphan").hasSize(1);
        assertThat(world.repos.artifacts().findByJob(job.id())).isEmpty();

        assertThat(sweeper().sweep().deleted()).as("within the grace").isZero();
        world.clock.advance(GRACE.plusSeconds(1));
        assertThat(sweeper().sweep().deleted()).isEqualTo(1);
        assertThat(world.store.keys()).isEmpty();
    }

    @Test
    void sweepIfDueRunsAPassAtMostOncePerGracePeriod() {
        orphan();
        OrphanBlobSweeper sweeper = sweeper();

        assertThat(sweeper.sweepIfDue()).as("the first call runs").hasValueSatisfying(r -> assertThat(r.deleted())
                .isZero());
        world.clock.advance(GRACE.minusSeconds(1));
        assertThat(sweeper.sweepIfDue()).isEmpty();
        world.clock.advance(Duration.ofSeconds(2));
        assertThat(sweeper.sweepIfDue()).hasValueSatisfying(r -> assertThat(r.deleted()).isEqualTo(1));
    }

    @Test
    void aZeroGraceForOnePassCollectsEvenFreshOrphans() {
        JobArtifact artifact = world.uploadArchive(world.runningJob("fresh"), archive);
        orphan();
        world.clock.advance(Duration.ofMillis(1));

        assertThat(sweeper().sweep(Duration.ZERO).deleted()).isEqualTo(1);
        assertThat(world.store.keys()).containsExactly(artifact.storageKey());
    }

    @Test
    void aPassUpToACutoffTakesOrphansModifiedBeforeItWhateverTheirAge() {
        String before = orphan();
        world.clock.advance(Duration.ofSeconds(1));
        Instant cutoff = world.clock.instant();
        world.clock.advance(Duration.ofSeconds(1));
        String after = orphan();
        world.clock.advance(Duration.ofSeconds(1));

        assertThat(sweeper().sweepModifiedBefore(cutoff).deleted()).isEqualTo(1);
        assertThat(world.store.keys()).containsExactly(after).doesNotContain(before);
    }

    @Test
    void theListingIsClosedEvenWhenAPassFails() {
        orphan();
        world.clock.advance(GRACE.plusSeconds(1));
        AtomicInteger closed = new AtomicInteger();
        ArtifactStore failingDeletes = new ListingHook(world.store, listed -> { }) {
            @Override
            public Stream<StoredBlob> listBlobs(String keyPrefix, Instant modifiedBefore) {
                return super.listBlobs(keyPrefix, modifiedBefore).onClose(closed::incrementAndGet);
            }

            @Override
            public void delete(String key) {
                throw new IllegalStateException("storage down");
            }
        };

        assertThatThrownBy(() -> sweeper(failingDeletes, 100).sweep()).hasMessage("storage down");
        assertThat(closed).hasValue(1);
    }

    @Test
    void aNegativeGraceIsRefused() {
        assertThatThrownBy(() -> new OrphanBlobSweeper(world.store, world.repos.artifacts(), world.clock,
                Duration.ofSeconds(-1), 10)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A store that delegates, calling {@code onListed} as each listed blob is handed out. */
    private static class ListingHook implements ArtifactStore {
        private final ArtifactStore delegate;
        private final Consumer<StoredBlob> onListed;

        ListingHook(ArtifactStore delegate, Consumer<StoredBlob> onListed) {
            this.delegate = delegate;
            this.onListed = onListed;
        }

        @Override
        public Stream<StoredBlob> listBlobs(String keyPrefix, Instant modifiedBefore) {
            return delegate.listBlobs(keyPrefix, modifiedBefore).peek(onListed);
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
            return delegate.read(key, range);
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
}
