package io.jobyard.application.service.runner;

import io.jobyard.application.memory.InMemoryArchiveIndexRepository;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase.UploadArtifactCommand;
import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.application.service.artifact.ArtifactWorld;
import io.jobyard.application.service.artifact.TestBytes;
import io.jobyard.application.service.artifact.Zips;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.ExpireIn;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RunnerForbiddenException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.jobyard.application.service.artifact.ArtifactWorld.tokenOf;
import static io.jobyard.application.service.artifact.Zips.File;
import static io.jobyard.application.service.artifact.Zips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadArtifactServiceTest {
    private final ArtifactWorld world = new ArtifactWorld();
    private final Job job = world.runningJob("build");
    private final byte[] archive = zip(File.directory("out/"), File.deflated("out/report.txt", "all green"),
            File.stored("out/app.bin", "binary"));

    private UploadArtifactCommand command(ArtifactFileType type, ArtifactFormat format, String expireIn,
                                          InputStream content, long declaredSize) {
        return new UploadArtifactCommand(job.id(), tokenOf(job), type, format, expireIn, null, null, content,
                declaredSize);
    }

    private JobArtifact upload(UploadArtifactCommand command) {
        return world.uploads(ArtifactLimits.DEFAULTS).upload(command);
    }

    /** Nothing of a refused upload may remain: no record, no index, no blob, nothing staged. */
    private void assertNothingStored() {
        assertThat(world.repos.artifacts().findByJob(job.id())).isEmpty();
        assertThat(world.index.size()).isZero();
        assertThat(world.store.keys()).isEmpty();
        assertThat(world.store.stagedCount()).isZero();
        assertThat(world.reload(job).artifactsExpireAt()).isNull();
    }

    // ----------------------------------------------------------------------------------------------- success

    @Test
    void anArchiveIsStoredIndexedAndRecordedWithGitLabsDefaults() {
        JobArtifact stored = world.uploadArchive(job, archive);

        assertThat(stored.fileType()).isEqualTo(ArtifactFileType.ARCHIVE);
        assertThat(stored.fileFormat()).isEqualTo(ArtifactFormat.ZIP);
        assertThat(stored.filename()).isEqualTo("artifacts.zip");
        assertThat(stored.size()).isEqualTo(archive.length);
        assertThat(stored.sha256()).isEqualTo(TestBytes.sha256(archive));
        assertThat(stored.accessibility()).isEqualTo(ArtifactAccessibility.PUBLIC);
        assertThat(stored.expireAt()).isEqualTo(ArtifactWorld.NOW.plus(ExpireIn.DEFAULT));
        assertThat(world.repos.artifacts().findByJob(job.id())).containsExactly(stored);
        assertThat(world.store.bytes(stored.storageKey())).hasValueSatisfying(b -> assertThat(b).isEqualTo(archive));
        assertThat(world.store.stagedCount()).isZero();
        assertThat(world.index.listEntries(stored.id(), null, 10)).extracting(ArchiveEntry::path)
                .containsExactly("out/", "out/app.bin", "out/report.txt");
        assertThat(world.reload(job).artifactsExpireAt()).isEqualTo(stored.expireAt());
    }

    @Test
    void indexingReadsRangesOfTheStagedUploadNeverTheWhole() {
        List<File> files = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            files.add(new File("f" + i + ".bin", Zips.random(20_000, i), true));
        }
        byte[] big = zip(null, files);

        world.uploadArchive(job, big);

        assertThat(world.store.reads()).isNotEmpty().allSatisfy(read -> {
            assertThat(read.staged()).isTrue();
            assertThat(read.length()).isLessThan(big.length / 4);
        });
    }

    @Test
    void expireInSetsTheExpiryOfTheArtifactAndOfTheJob() {
        JobArtifact weekly = upload(command(null, null, "1 week", new ByteArrayInputStream(archive), -1));

        assertThat(weekly.expireAt()).isEqualTo(ArtifactWorld.NOW.plus(Duration.ofDays(7)));
        assertThat(world.reload(job).artifactsExpireAt()).isEqualTo(weekly.expireAt());
    }

    @Test
    void expireInNeverMeansNoExpiry() {
        JobArtifact kept = upload(command(null, null, "never", new ByteArrayInputStream(archive), -1));

        assertThat(kept.expireAt()).isNull();
        assertThat(world.reload(job).artifactsExpireAt()).isNull();
    }

    @Test
    void anInvalidExpireInIsRefusedBeforeAnythingIsStored() {
        assertThatThrownBy(() -> upload(command(null, null, "soonish", new ByteArrayInputStream(archive), -1)))
                .isInstanceOf(BadRequestException.class);
        assertNothingStored();
    }

    @Test
    void aReportOfAnotherTypeIsStoredAsIsWithoutIndexAndWithoutTouchingTheJobsExpiry() {
        byte[] junit = "<testsuite/>".getBytes(StandardCharsets.UTF_8);

        JobArtifact report = world.upload(job, ArtifactFileType.JUNIT, ArtifactFormat.GZIP, "2 days",
                ArtifactAccessibility.PRIVATE, junit);

        assertThat(report.filename()).isEqualTo("junit.xml.gz");
        assertThat(report.accessibility()).isEqualTo(ArtifactAccessibility.PRIVATE);
        assertThat(world.store.bytes(report.storageKey())).hasValueSatisfying(b -> assertThat(b).isEqualTo(junit));
        assertThat(world.index.size()).isZero();
        assertThat(world.reload(job).artifactsExpireAt()).isNull();
    }

    @Test
    void theUploadedFilenameIsKeptWithoutAnyPath() {
        JobArtifact stored = upload(new UploadArtifactCommand(job.id(), tokenOf(job), null, null, null, null,
                "../../etc/build\u0007 output.zip", new ByteArrayInputStream(archive), -1));

        assertThat(stored.filename()).isEqualTo("build output.zip");
    }

    // --------------------------------------------------------------------------------------------- refusals

    @Test
    void aTypeWithTheWrongFormatIsRefused() {
        assertThatThrownBy(() -> upload(command(ArtifactFileType.JUNIT, null, null,
                new ByteArrayInputStream(archive), -1)))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.reason())
                        .contains("Invalid file format with specified file type"));
        assertThatThrownBy(() -> upload(command(ArtifactFileType.ARCHIVE, ArtifactFormat.GZIP, null,
                new ByteArrayInputStream(archive), -1)))
                .isInstanceOf(BadRequestException.class);
        assertNothingStored();
    }

    @Test
    void aSecondDifferentArtifactOfTheSameTypeIsRefusedAndTheFirstStays() {
        JobArtifact first = world.uploadArchive(job, archive);
        byte[] other = zip(File.stored("other.txt", "different"));

        assertThatThrownBy(() -> world.uploadArchive(job, other))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.reason())
                        .contains("another artifact of the same type already exists"));
        assertThat(world.repos.artifacts().findByJob(job.id())).containsExactly(first);
        assertThat(world.store.keys()).containsExactly(first.storageKey());
        assertThat(world.store.stagedCount()).isZero();
    }

    @Test
    void reUploadingTheIdenticalFileSucceedsWithoutASecondCopy() {
        JobArtifact first = world.uploadArchive(job, archive);

        JobArtifact again = world.uploadArchive(job, archive);

        assertThat(again).isEqualTo(first);
        assertThat(world.store.keys()).containsExactly(first.storageKey());
        assertThat(world.store.stagedCount()).isZero();
    }

    @Test
    void aDeclaredSizeOverTheLimitIsRefusedWithoutReadingTheBody() {
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body must not be read");
            }
        };

        assertThatThrownBy(() -> world.uploads(ArtifactLimits.DEFAULTS.withMaxArtifactSize(1000))
                .upload(command(null, null, null, untouchable, 1001)))
                .isInstanceOfSatisfying(PayloadTooLargeException.class,
                        e -> assertThat(e).hasMessage("file size has reached maximum size limit"));
        assertNothingStored();
    }

    @Test
    void aBodyOverTheLimitIsRefusedAndNothingRemains() {
        assertThatThrownBy(() -> world.uploads(ArtifactLimits.DEFAULTS.withMaxArtifactSize(archive.length - 1))
                .upload(command(null, null, null, new ByteArrayInputStream(archive), -1)))
                .isInstanceOf(PayloadTooLargeException.class);
        assertNothingStored();
    }

    @Test
    void aCorruptArchiveIsRefusedAndNothingRemains() {
        byte[] truncated = java.util.Arrays.copyOf(archive, archive.length - 7);

        assertThatThrownBy(() -> world.uploadArchive(job, truncated)).isInstanceOf(BadRequestException.class);
        assertNothingStored();
    }

    @Test
    void anEntryThatWouldEscapeTheArchiveRootIsRefusedAtUpload() {
        byte[] escaping = new Zips.Raw().stored("ok.txt", new byte[1]).stored("../../.ssh/authorized_keys",
                "ssh-rsa AAAA".getBytes(StandardCharsets.UTF_8)).build();

        assertThatThrownBy(() -> world.uploadArchive(job, escaping)).isInstanceOf(BadRequestException.class);
        assertNothingStored();
    }

    @Test
    void aZipBombIsRefusedAndNothingRemains() {
        byte[] bomb = zip(new File("zeros", new byte[8 * 1024 * 1024], false));

        assertThatThrownBy(() -> world.uploads(ArtifactLimits.DEFAULTS.withMaxUncompressedSize(1024 * 1024))
                .upload(command(null, null, null, new ByteArrayInputStream(bomb), -1)))
                .isInstanceOf(PayloadTooLargeException.class);
        assertNothingStored();
    }

    @Test
    void aStoreFailureWhilePublishingLeavesNothing() {
        world.store.failNextPublish();

        assertThatThrownBy(() -> world.uploadArchive(job, archive)).isInstanceOf(UncheckedIOException.class);
        assertNothingStored();
    }

    @Test
    void aFailureInTheRecordingTransactionRemovesThePublishedBlobAndRollsEverythingBack() {
        ArchiveIndexRepository failingAfterSave = new ArchiveIndexRepository() {
            private final InMemoryArchiveIndexRepository delegate = world.index;

            @Override
            public void saveEntries(ArtifactId archive, List<ArchiveEntry> entries) {
                delegate.saveEntries(archive, entries);
                throw new IllegalStateException("database went away");
            }

            @Override
            public Optional<ArchiveEntry> findEntry(ArtifactId archive, String path) {
                return delegate.findEntry(archive, path);
            }

            @Override
            public List<ArchiveEntry> listEntries(ArtifactId archive, String afterPath, int limit) {
                return delegate.listEntries(archive, afterPath, limit);
            }

            @Override
            public List<ArchiveEntry> listRange(ArtifactId archive, String from, boolean fromInclusive, String to,
                                                int limit) {
                return delegate.listRange(archive, from, fromInclusive, to, limit);
            }

            @Override
            public void deleteEntries(ArtifactId archive) {
                delegate.deleteEntries(archive);
            }
        };

        assertThatThrownBy(() -> world.uploads(ArtifactLimits.DEFAULTS, failingAfterSave, world.store)
                .upload(command(null, null, null, new ByteArrayInputStream(archive), -1)))
                .isInstanceOf(IllegalStateException.class);
        assertNothingStored();
    }

    @Test
    void aWrongTokenOrAJobThatIsNotRunningIsRefusedAsTheRunnerEndpointsDo() {
        assertThatThrownBy(() -> world.uploads(ArtifactLimits.DEFAULTS).upload(
                UploadArtifactCommand.archive(job.id(), "not-the-token", new ByteArrayInputStream(archive))))
                .isInstanceOfSatisfying(RunnerForbiddenException.class, e -> assertThat(e.reason()).isEmpty());

        Job finished = world.data.job(world.pipeline("main", JobStatus.SUCCESS), "done", JobStatus.SUCCESS);
        Job withToken = world.repos.jobs().update(finished.toBuilder()
                .tokenDigest(io.jobyard.application.contract.TestData.digest(tokenOf(finished))).build());
        assertThatThrownBy(() -> world.uploadArchive(withToken, archive))
                .isInstanceOfSatisfying(RunnerForbiddenException.class,
                        e -> assertThat(e.reason()).contains("Job is not processing on runner"));
        assertNothingStored();
    }

    // ------------------------------------------------------------------------------------------- concurrency

    @Test
    void ofTwoDifferentUploadsRacingForOneTypeExactlyOneIsStored() throws Exception {
        List<Object> outcomes = race(
                () -> world.uploadArchive(job, zip(File.stored("a.txt", "first"))),
                () -> world.uploadArchive(job, zip(File.stored("b.txt", "second"))));

        assertThat(outcomes).filteredOn(JobArtifact.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(BadRequestException.class::isInstance).hasSize(1);
        JobArtifact winner = world.repos.artifacts().findByJob(job.id()).get(0);
        assertThat(world.store.keys()).containsExactly(winner.storageKey());
        assertThat(world.index.size()).isEqualTo(1);
        assertThat(world.store.stagedCount()).isZero();
    }

    @Test
    void twoIdenticalUploadsRacingBothSucceedWithOneCopy() throws Exception {
        List<Object> outcomes = race(() -> world.uploadArchive(job, archive), () -> world.uploadArchive(job, archive));

        assertThat(outcomes).allMatch(JobArtifact.class::isInstance);
        assertThat(outcomes.get(0)).isEqualTo(outcomes.get(1));
        assertThat(world.store.keys()).hasSize(1);
        assertThat(world.store.stagedCount()).isZero();
    }

    private static List<Object> race(Callable<JobArtifact> first, Callable<JobArtifact> second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<JobArtifact> upload : List.of(first, second)) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        return upload.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> future : futures) {
                outcomes.add(future.get(30, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
