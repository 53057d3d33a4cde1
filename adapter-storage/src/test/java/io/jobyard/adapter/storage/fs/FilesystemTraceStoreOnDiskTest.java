package io.jobyard.adapter.storage.fs;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.JobId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.jobyard.adapter.storage.fs.FilesystemTraceStore.CHUNK_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The filesystem trace store: chunk files on disk, crashes, and appends racing across instances and processes. */
class FilesystemTraceStoreOnDiskTest {
    private static final JobId JOB = JobId.of(345);
    private static final long NO_LIMIT = Long.MAX_VALUE;

    @TempDir
    Path directory;
    private FilesystemTraceStore store;

    @BeforeEach
    void openStore() {
        store = new FilesystemTraceStore(directory);
    }

    @Test
    void appendsFillFixedSizeChunkFilesAndReadsCrossTheirBoundaries() throws IOException {
        byte[] log = pattern(2 * CHUNK_SIZE + 5_000);

        long afterFirst = store.append(JOB, 0, new ByteArrayInputStream(log, 0, CHUNK_SIZE - 10), NO_LIMIT);
        long afterSecond = store.append(JOB, afterFirst,
                new ByteArrayInputStream(log, CHUNK_SIZE - 10, log.length - (CHUNK_SIZE - 10)), NO_LIMIT);

        assertThat(afterSecond).isEqualTo(log.length);
        assertThat(store.length(JOB)).isEqualTo(log.length);
        assertThat(chunkSizes()).containsExactly((long) CHUNK_SIZE, (long) CHUNK_SIZE, 5_000L);
        assertThat(read(ByteRange.ALL)).isEqualTo(log);
        assertThat(read(new ByteRange(CHUNK_SIZE - 3, 2 * CHUNK_SIZE)))
                .isEqualTo(Arrays.copyOfRange(log, CHUNK_SIZE - 3, log.length));
        assertThat(read(new ByteRange(2 * CHUNK_SIZE, 10))).isEqualTo(Arrays.copyOfRange(log, 2 * CHUNK_SIZE,
                2 * CHUNK_SIZE + 10));
    }

    @Test
    void anAppendAtTheWrongOffsetWritesNothingAndTellsTheLength() throws IOException {
        store.append(JOB, 0, text("hello"), NO_LIMIT);

        for (long wrong : new long[] {0, 4, 6, 100}) {
            assertThatThrownBy(() -> store.append(JOB, wrong, text("XXXXXXXX"), NO_LIMIT)).as("offset " + wrong)
                    .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                            e -> assertThat(e.currentLength()).isEqualTo(5));
        }

        assertThat(read(ByteRange.ALL)).asString(StandardCharsets.UTF_8).isEqualTo("hello");
        assertThat(chunkSizes()).containsExactly(5L);
    }

    @Test
    void aWrongOffsetOnANewLogCreatesNothing() {
        assertThatThrownBy(() -> store.append(JOB, 3, text("abc"), NO_LIMIT))
                .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                        e -> assertThat(e.currentLength()).isZero());

        assertThat(directory.resolve("345")).doesNotExist();
    }

    @Test
    void anAppendOverTheLimitIsRefusedAndLeavesTheLogAsItWas() throws IOException {
        store.append(JOB, 0, text("0123456789"), 1_000_000);

        assertThatThrownBy(() -> store.append(JOB, 10, new ByteArrayInputStream(pattern(CHUNK_SIZE * 2)), 200_000))
                .isInstanceOf(PayloadTooLargeException.class);

        assertThat(store.length(JOB)).isEqualTo(10);
        assertThat(read(ByteRange.ALL)).asString(StandardCharsets.UTF_8).isEqualTo("0123456789");
        assertThat(chunkSizes()).containsExactly(10L);
    }

    @Test
    void anAppendWhoseBodyDiesHalfWayLeavesTheLogAsItWasAndCanBeRetried() throws IOException {
        store.append(JOB, 0, text("start|"), NO_LIMIT);

        assertThatThrownBy(() -> store.append(JOB, 6, dyingAfter(CHUNK_SIZE + 100), NO_LIMIT))
                .isInstanceOf(UncheckedIOException.class);

        assertThat(store.length(JOB)).isEqualTo(6);
        assertThat(chunkSizes()).containsExactly(6L);
        assertThat(store.append(JOB, 6, text("retried"), NO_LIMIT)).isEqualTo(13);
        assertThat(read(ByteRange.ALL)).asString(StandardCharsets.UTF_8).isEqualTo("start|retried");
    }

    @Test
    void bytesACrashedAppendLeftPastTheCommittedLengthAreNeverLog() throws IOException {
        store.append(JOB, 0, text("acknowledged"), NO_LIMIT);
        // The process died after writing chunk bytes but before committing their length: garbage in the current
        // chunk past the length, and a whole further chunk file.
        try (RandomAccessFile chunk = new RandomAccessFile(directory.resolve("345/0.chunk").toFile(), "rw")) {
            chunk.seek(12);
            chunk.write("-NOT-ACKNOWLEDGED".getBytes(StandardCharsets.UTF_8));
            chunk.setLength(CHUNK_SIZE);
        }
        Files.write(directory.resolve("345/1.chunk"), "more garbage".getBytes(StandardCharsets.UTF_8));

        FilesystemTraceStore restarted = new FilesystemTraceStore(directory);

        assertThat(restarted.length(JOB)).isEqualTo(12);
        try (BlobContent content = restarted.read(JOB, ByteRange.ALL)) {
            assertThat(content.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("acknowledged");
        }
        assertThatThrownBy(() -> restarted.read(JOB, ByteRange.from(13))).isInstanceOf(
                RangeNotSatisfiableException.class);
        assertThat(restarted.append(JOB, 12, text(" next"), NO_LIMIT)).isEqualTo(17);
        assertThat(read(ByteRange.ALL)).asString(StandardCharsets.UTF_8).isEqualTo("acknowledged next");
        assertThat(chunkSizes()).containsExactly(17L);
    }

    @Test
    void appendsRacingFromSeveralInstancesOnOneDirectoryHaveExactlyOneWinner() throws Exception {
        store.append(JOB, 0, text("base|"), NO_LIMIT);
        int writers = 8;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                // Different stores on one directory behave like different processes' stores would.
                FilesystemTraceStore instance = i % 2 == 0 ? store : new FilesystemTraceStore(directory);
                String payload = "writer-" + i + "|".repeat(i + 1);
                results.add(pool.submit(() -> {
                    start.await();
                    return instance.append(JOB, 5, text(payload), NO_LIMIT);
                }));
            }
            List<Long> wins = new ArrayList<>();
            List<Long> refusedWithLength = new ArrayList<>();
            for (Future<Long> result : results) {
                try {
                    wins.add(result.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    refusedWithLength.add(((RangeNotSatisfiableException) e.getCause()).currentLength());
                }
            }

            assertThat(wins).hasSize(1);
            assertThat(refusedWithLength).hasSize(writers - 1).containsOnly(wins.get(0));
            assertThat(read(ByteRange.ALL)).asString(StandardCharsets.UTF_8).matches("base\\|writer-\\d\\|+")
                    .hasSize(wins.get(0).intValue());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSecondInstanceWaitsForAnAppendInProgressAndThenLosesTheRace() throws Exception {
        FilesystemTraceStore other = new FilesystemTraceStore(directory);
        CountDownLatch firstIsWriting = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        InputStream slowBody = new InputStream() {
            private final InputStream data = text("first wins");

            @Override
            public int read() throws IOException {
                firstIsWriting.countDown();
                awaitQuietly(releaseFirst);
                return data.read();
            }
        };
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> store.append(JOB, 0, slowBody, NO_LIMIT));
        assertThat(firstIsWriting.await(30, TimeUnit.SECONDS)).isTrue();

        CountDownLatch secondReadsItsBody = new CountDownLatch(1);
        CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> other.append(JOB, 0,
                signalling(text("second"), secondReadsItsBody), NO_LIMIT));
        // Give the second append every chance to slip past a missing lock before the first one finishes.
        secondReadsItsBody.await(1, TimeUnit.SECONDS);
        releaseFirst.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(10);
        assertThat(second).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(
                java.util.concurrent.ExecutionException.class).havingCause()
                .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                        e -> assertThat(e.currentLength()).isEqualTo(10));
        assertThat(read(ByteRange.ALL)).asString(StandardCharsets.UTF_8).isEqualTo("first wins");
    }

    @Test
    void anotherProcessAppendingHoldsOffThisOneUntilItCommits() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), TraceAppendProcess.class.getName(),
                directory.toString(), Long.toString(JOB.value()), "0")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            OutputStream childIn = child.getOutputStream();
            childIn.write("from the child ".getBytes(StandardCharsets.UTF_8));
            childIn.flush();
            assertThat(childOut.readLine()).isEqualTo("READING");

            CountDownLatch parentReadsItsBody = new CountDownLatch(1);
            CompletableFuture<Long> parent = CompletableFuture.supplyAsync(() -> store.append(JOB, 0,
                    signalling(text("from the parent"), parentReadsItsBody), NO_LIMIT));
            // Give this process every chance to slip past a missing file lock while the child is mid-append.
            parentReadsItsBody.await(2, TimeUnit.SECONDS);
            childIn.write("process".getBytes(StandardCharsets.UTF_8));
            childIn.close();

            assertThat(childOut.readLine()).isEqualTo("OK 22");
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(parent).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(
                    java.util.concurrent.ExecutionException.class).havingCause()
                    .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                            e -> assertThat(e.currentLength()).isEqualTo(22));
            assertThat(read(ByteRange.ALL)).asString(StandardCharsets.UTF_8).isEqualTo("from the child process");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void deleteRemovesTheChunksAndANewLogStartsFromZero() throws IOException {
        store.append(JOB, 0, new ByteArrayInputStream(pattern(CHUNK_SIZE + 1)), NO_LIMIT);

        store.delete(JOB);
        store.delete(JOB);

        assertThat(directory.resolve("345")).doesNotExist();
        assertThat(store.length(JOB)).isZero();
        assertThat(store.append(JOB, 0, text("again"), NO_LIMIT)).isEqualTo(5);
        assertThat(read(ByteRange.ALL)).asString(StandardCharsets.UTF_8).isEqualTo("again");
    }

    @Test
    void theLargestJobIdHasALogLikeAnyOther() throws IOException {
        JobId largest = JobId.of(Long.MAX_VALUE);

        assertThat(store.append(largest, 0, text("edge"), NO_LIMIT)).isEqualTo(4);
        try (BlobContent content = store.read(largest, ByteRange.ALL)) {
            assertThat(content.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("edge");
        }
    }

    @Test
    void anEmptyAppendChangesNothing() throws IOException {
        assertThat(store.append(JOB, 0, InputStream.nullInputStream(), NO_LIMIT)).isZero();
        assertThat(directory.resolve("345")).doesNotExist();
        store.append(JOB, 0, text("x"), NO_LIMIT);
        assertThat(store.append(JOB, 1, InputStream.nullInputStream(), NO_LIMIT)).isEqualTo(1);
    }

    private byte[] read(ByteRange range) throws IOException {
        try (BlobContent content = store.read(JOB, range)) {
            byte[] bytes = content.stream().readAllBytes();
            assertThat(bytes).hasSize((int) content.length());
            return bytes;
        }
    }

    private List<Long> chunkSizes() throws IOException {
        try (Stream<Path> files = Files.list(directory.resolve("345"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".chunk"))
                    .sorted((a, b) -> Long.compare(index(a), index(b)))
                    .map(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
        }
    }

    private static long index(Path chunk) {
        String name = chunk.getFileName().toString();
        return Long.parseLong(name.substring(0, name.indexOf('.')));
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + i / 251);
        }
        return bytes;
    }

    private static InputStream text(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream signalling(InputStream data, CountDownLatch firstRead) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                firstRead.countDown();
                return data.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                firstRead.countDown();
                return data.read(buffer, offset, length);
            }
        };
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

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
