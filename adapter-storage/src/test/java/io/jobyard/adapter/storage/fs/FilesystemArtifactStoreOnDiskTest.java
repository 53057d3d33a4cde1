package io.jobyard.adapter.storage.fs;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.StagedBlob;
import io.jobyard.application.port.out.StoredBlob;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The filesystem artifact store: what only a filesystem can get wrong (crashes, renames, paths, huge files). */
class FilesystemArtifactStoreOnDiskTest {
    private static final String KEY = "projects/12/jobs/345/artifacts/1/artifacts.zip";

    @TempDir
    Path dataDirectory;
    private FilesystemArtifactStore store;

    @BeforeEach
    void openStore() {
        store = new FilesystemArtifactStore(dataDirectory);
    }

    /**
     * The orphan sweep's grace counts from the publish: a rename would keep the staging file's time, which may be
     * much earlier for a large upload that was checked at length before it was published.
     */
    @Test
    void aPublishedBlobIsListedWithTheTimeOfItsPublishNotOfItsUpload() throws IOException {
        Instant uploaded = Instant.parse("2026-01-01T00:00:00Z");
        Instant publishedAt = uploaded.plus(Duration.ofHours(3));
        AtomicReference<Instant> now = new AtomicReference<>(uploaded);
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now.get();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        FilesystemArtifactStore timed = new FilesystemArtifactStore(dataDirectory, clock);
        StagedBlob staged = timed.stage(bytes("slowly checked"), 1_000);
        Files.setLastModifiedTime(dataDirectory.resolve("staging").resolve(staged.stagingId() + ".part"),
                FileTime.from(uploaded));
        now.set(publishedAt);

        timed.publish(staged, KEY);

        try (Stream<StoredBlob> blobs = timed.listBlobs("projects/", publishedAt.plusSeconds(1))) {
            assertThat(blobs.toList()).containsExactly(new StoredBlob(KEY, 14, publishedAt));
        }
        try (Stream<StoredBlob> blobs = timed.listBlobs("projects/", publishedAt)) {
            assertThat(blobs).as("not yet older than the cutoff").isEmpty();
        }
    }

    @Test
    void filesNoStoreWouldWriteAreNotListed() throws IOException {
        store.publish(store.stage(bytes("ours"), 100), KEY);
        Path stray = dataDirectory.resolve("blobs/projects/12/with\\backslash");
        Files.writeString(stray, "not ours");

        try (Stream<StoredBlob> blobs = store.listBlobs("projects/", Instant.now().plusSeconds(60))) {
            assertThat(blobs.map(StoredBlob::key)).containsExactly(KEY);
        }
        try (Stream<StoredBlob> blobs = store.listBlobs("projects/99/", Instant.now().plusSeconds(60))) {
            assertThat(blobs).as("a prefix no directory holds").isEmpty();
        }
        assertThatThrownBy(() -> store.listBlobs("../", Instant.now())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStagedUploadIsCheckedAndInvisibleUntilPublished() throws IOException {
        StagedBlob staged = store.stage(bytes("hello, artifacts"), 1_000);

        assertThat(staged.size()).isEqualTo(16);
        assertThat(staged.sha256()).isEqualTo("332d2398f1e603bc68e783600e0108c6b433c0264ed3d21e0b20e812c9bef3fd");
        try (BlobContent part = store.readStaged(staged, new ByteRange(7, 9))) {
            assertThat(part.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("artifacts");
        }
        assertThat(store.size(KEY)).isEmpty();
        assertThatThrownBy(() -> store.read(KEY, ByteRange.ALL)).isInstanceOf(NotFoundException.class);

        store.publish(staged, KEY);

        assertThat(store.size(KEY)).contains(16L);
        assertThat(dataDirectory.resolve("blobs").resolve(KEY)).hasContent("hello, artifacts");
        assertThat(dataDirectory.resolve("staging")).isEmptyDirectory();
    }

    @Test
    void aMissingBlobIsAPlainFileNotFound() {
        assertThatThrownBy(() -> store.read(KEY, ByteRange.ALL))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.kind()).isEqualTo(NotFoundException.Kind.PLAIN);
                    assertThat(e.getMessage()).isEqualTo("File not found");
                });
        assertThatThrownBy(() -> store.read("projects/12", ByteRange.ALL)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aRangeOfAFileLargerThanMemoryIsReadWithoutReadingTheFile() throws IOException {
        // A sparse 5 GiB file: a whole-file read could not even fit it in an array.
        Path huge = dataDirectory.resolve("blobs/projects/1/huge.zip");
        Files.createDirectories(huge.getParent());
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(5L << 30);
            file.seek((5L << 30) - 3);
            file.write(new byte[] {'e', 'n', 'd'});
        }

        try (BlobContent tail = store.read("projects/1/huge.zip", ByteRange.from((5L << 30) - 3))) {
            assertThat(tail.totalSize()).isEqualTo(5L << 30);
            assertThat(tail.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("end");
        }
    }

    @Test
    void anUploadOverTheLimitLeavesNothingBehind() {
        assertThatThrownBy(() -> store.stage(new ByteArrayInputStream(new byte[2_000]), 1_999))
                .isInstanceOf(PayloadTooLargeException.class);

        assertThat(dataDirectory.resolve("staging")).isEmptyDirectory();
    }

    @Test
    void anUploadWhoseStreamDiesMidWayLeavesNothingBehind() {
        assertThatThrownBy(() -> store.stage(dyingAfter(300_000), 10_000_000))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("connection reset by runner");

        assertThat(dataDirectory.resolve("staging")).isEmptyDirectory();
        assertThat(dataDirectory.resolve("blobs")).isEmptyDirectory();
    }

    @Test
    void whatACrashMidUploadLeavesIsInvisibleAndRemovedAtTheNextStart() throws IOException {
        publish("old", KEY);
        // A process died while streaming an upload: a half-written staging file, untouched for a day.
        Path litter = dataDirectory.resolve("staging/0b0c1e3a-5c44-4c1e-9a1e-1d2b3c4d5e6f.part");
        Files.write(litter, new byte[12_345]);
        Files.setLastModifiedTime(litter, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        // Another instance is uploading right now: its staging file is recent.
        StagedBlob inProgress = store.stage(bytes("in progress"), 100);

        FilesystemArtifactStore restarted = new FilesystemArtifactStore(dataDirectory);
        int removed = restarted.cleanupStaging(Duration.ofHours(1));

        assertThat(removed).isEqualTo(1);
        assertThat(litter).doesNotExist();
        try (BlobContent content = restarted.read(KEY, ByteRange.ALL)) {
            assertThat(content.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("old");
        }
        restarted.publish(inProgress, "projects/12/other.zip");
        assertThat(restarted.size("projects/12/other.zip")).contains(11L);
    }

    @Test
    void publishingOverABlobNeverShowsAMixAndOpenReadersKeepTheOldBytes() throws IOException {
        publish("first version", KEY);
        BlobContent openedBefore = store.read(KEY, ByteRange.ALL);

        publish("second", KEY);

        try (openedBefore; BlobContent after = store.read(KEY, ByteRange.ALL)) {
            assertThat(openedBefore.stream().readAllBytes()).asString(StandardCharsets.UTF_8)
                    .isEqualTo("first version");
            assertThat(after.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("second");
        }
        try (Stream<Path> staging = Files.list(dataDirectory.resolve("staging"))) {
            assertThat(staging).isEmpty();
        }
    }

    @Test
    void keysThatWouldEscapeTheDataDirectoryAreRefusedAndNothingIsWrittenOutside() throws IOException {
        StagedBlob staged = store.stage(bytes("evil"), 100);

        for (String key : List.of("../outside.zip", "../../outside.zip", "/tmp/outside.zip", "a/../../outside.zip")) {
            assertThatThrownBy(() -> store.publish(staged, key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.read(key, ByteRange.ALL)).as(key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(dataDirectory.resolve("outside.zip")).doesNotExist();
        assertThat(dataDirectory.getParent().resolve("outside.zip")).doesNotExist();
        assertThat(store.readStaged(staged, ByteRange.ALL).length()).isEqualTo(4);
    }

    @Test
    void aForgedStagingIdCannotReachOutsideTheStagingDirectory() {
        StagedBlob forged = new StagedBlob("../blobs/" + KEY, 1, "0".repeat(64));

        assertThatThrownBy(() -> store.readStaged(forged, ByteRange.ALL)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.publish(forged, "projects/x.zip")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.discard(forged)).isInstanceOf(IllegalArgumentException.class);
    }

    private void publish(String content, String key) {
        store.publish(store.stage(bytes(content), 1_000), key);
    }

    private static InputStream bytes(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream dyingAfter(int bytes) {
        return new InputStream() {
            private int left = bytes;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("connection reset by runner");
                }
                return 'x';
            }
        };
    }
}
