package io.jobyard.application.contract;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.JobId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.jobyard.application.contract.StoreTestBytes.bytes;
import static io.jobyard.application.contract.StoreTestBytes.failingAfter;
import static io.jobyard.application.contract.StoreTestBytes.readAll;
import static io.jobyard.application.contract.StoreTestBytes.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link TraceStore} must do (issue 5, contract §5.3): an append lands at exactly the current length or not
 * at all (refused with the current length, nothing written); of many appends racing for one offset exactly one wins;
 * an append that fails or would outgrow the limit half-way leaves the log as it was; reads return exactly their range
 * across chunk boundaries and a read sees the log as it was when opened; delete is idempotent; appends survive a
 * restart (they are durable once acknowledged).
 *
 * <p>An adapter test extends this with {@link #newStore()} over empty storage, {@link #chunkSize()} when it does not
 * chunk at GitLab's 128 KiB, and {@link #restart} when a new instance over the same storage is a restart.
 */
public abstract class TraceStoreContract {
    private static final long NO_LIMIT = Long.MAX_VALUE;

    protected TraceStore store;

    /** A store over empty storage; called before each test. */
    protected abstract TraceStore newStore();

    /** A new instance over the same backing storage, as after a restart. The default reuses the instance. */
    protected TraceStore restart(TraceStore store) {
        return store;
    }

    /** The store's chunk size, so the boundary cases aim at its boundaries. */
    protected int chunkSize() {
        return 128 * 1024;
    }

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    private static JobId newJob() {
        return JobId.of(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    }

    private long append(JobId job, long offset, byte[] data) {
        return store.append(job, offset, new ByteArrayInputStream(data), NO_LIMIT);
    }

    private byte[] log(JobId job) {
        return readAll(store.read(job, ByteRange.ALL));
    }

    // ------------------------------------------------------------------------------------------------- appends

    @Test
    void aJobWithoutLogHasLengthZeroAndReadsEmpty() {
        JobId job = newJob();

        assertThat(store.length(job)).isZero();
        BlobContent content = store.read(job, ByteRange.ALL);
        assertThat(content.totalSize()).isZero();
        assertThat(readAll(content)).isEmpty();
        assertThatThrownBy(() -> store.read(job, ByteRange.from(1)))
                .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                        e -> assertThat(e.currentLength()).isZero());
    }

    @Test
    void appendsAtTheCurrentLengthGrowTheLog() {
        JobId job = newJob();
        byte[] first = "Running with gitlab-runner 17.0\n".getBytes();
        byte[] second = "$ make test\n".getBytes();

        assertThat(append(job, 0, first)).isEqualTo(first.length);
        assertThat(append(job, first.length, second)).isEqualTo(first.length + second.length);

        assertThat(store.length(job)).isEqualTo(first.length + second.length);
        assertThat(new String(log(job))).isEqualTo("Running with gitlab-runner 17.0\n$ make test\n");
    }

    @Test
    void theLengthsOfManyLogsAreAnsweredTogetherWithZeroForThoseWithout() {
        JobId first = newJob();
        JobId second = newJob();
        JobId without = newJob();
        append(first, 0, bytes(10, 1));
        append(second, 0, bytes(3, 2));
        store.delete(second);
        append(second, 0, bytes(7, 3));

        assertThat(store.lengths(List.of(first, second, without)))
                .isEqualTo(java.util.Map.of(first, 10L, second, 7L, without, 0L));
        assertThat(store.lengths(List.of())).isEmpty();
    }

    @Test
    void anEmptyAppendChangesNothing() {
        JobId job = newJob();
        append(job, 0, bytes(10, 1));

        assertThat(append(job, 10, new byte[0])).isEqualTo(10);
        assertThat(log(job)).isEqualTo(bytes(10, 1));
    }

    @Test
    void anAppendAtAnyOtherOffsetIsRefusedWithTheCurrentLengthAndWritesNothing() {
        JobId job = newJob();
        byte[] content = bytes(1000, 2);
        append(job, 0, content);

        for (long wrong : new long[]{0, 999, 1001, 5000}) {
            assertThatThrownBy(() -> append(job, wrong, bytes(10, 3)))
                    .as("offset %d", wrong)
                    .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                            e -> assertThat(e.currentLength()).isEqualTo(1000));
        }
        assertThat(store.length(job)).isEqualTo(1000);
        assertThat(log(job)).isEqualTo(content);
        assertThatThrownBy(() -> append(newJob(), 1, bytes(1, 4)))
                .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                        e -> assertThat(e.currentLength()).isZero());
    }

    @Test
    void appendsCrossingChunkBoundariesAndReadsSpanningChunksAreExact() {
        int chunk = chunkSize();
        JobId job = newJob();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int[] sizes = {chunk - 10, 20, 3 * chunk + 7, 1, chunk - 8, 0, chunk, 2 * chunk + 1, 5};
        long length = 0;
        for (int i = 0; i < sizes.length; i++) {
            byte[] part = bytes(sizes[i], 10 + i);
            length = append(job, length, part);
            expected.writeBytes(part);
            assertThat(length).isEqualTo(expected.size());
        }
        byte[] all = expected.toByteArray();

        assertThat(log(job)).isEqualTo(all);
        long[][] ranges = {
                {0, 1}, {chunk - 1, 2}, {chunk - 5, 10}, {chunk, chunk}, {chunk - 1, chunk + 2},
                {2L * chunk - 3, 3L * chunk}, {3L * chunk, 1}, {all.length - 1, 1}, {1, all.length - 2},
                {chunk + 17, 0}};
        for (long[] range : ranges) {
            BlobContent part = store.read(job, new ByteRange(range[0], range[1]));
            assertThat(part.offset()).isEqualTo(range[0]);
            assertThat(part.totalSize()).isEqualTo(all.length);
            assertThat(readAll(part)).as("range %d+%d", range[0], range[1]).isEqualTo(slice(all, range[0], range[1]));
        }
        assertThat(readAll(store.read(job, ByteRange.from(2L * chunk + 3))))
                .isEqualTo(slice(all, 2L * chunk + 3, all.length - (2L * chunk + 3)));
        assertThat(readAll(store.read(job, new ByteRange(all.length - 4, 1000)))).hasSize(4);
        assertThat(readAll(store.read(job, ByteRange.from(all.length)))).isEmpty();
        assertThatThrownBy(() -> store.read(job, ByteRange.from(all.length + 1L)))
                .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                        e -> assertThat(e.currentLength()).isEqualTo(all.length));
    }

    @Test
    void manySmallAppendsAddUp() {
        JobId job = newJob();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        long length = 0;
        int count = chunkSize() / 1000 * 2 + 50;
        for (int i = 0; i < count; i++) {
            byte[] line = ("line " + i + " " + "x".repeat(i % 990) + "\n").getBytes();
            length = append(job, length, line);
            expected.writeBytes(line);
        }

        assertThat(length).isEqualTo(expected.size());
        assertThat(log(job)).isEqualTo(expected.toByteArray());
    }

    @Test
    void anAppendOverTheLimitIsRefusedAndWritesNothing() {
        JobId job = newJob();
        long limit = chunkSize() + 100L;
        byte[] start = bytes(chunkSize() - 50, 20);
        store.append(job, 0, new ByteArrayInputStream(start), limit);

        assertThatThrownBy(() -> store.append(job, start.length, new ByteArrayInputStream(bytes(151, 21)), limit))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThat(store.length(job)).isEqualTo(start.length);
        assertThat(log(job)).isEqualTo(start);

        byte[] exactly = bytes(150, 22);
        assertThat(store.append(job, start.length, new ByteArrayInputStream(exactly), limit)).isEqualTo(limit);
    }

    @Test
    void aBodyThatFailsMidStreamLeavesTheLogAsItWas() {
        JobId job = newJob();
        byte[] start = bytes(1000, 30);
        append(job, 0, start);

        assertThatThrownBy(() -> store.append(job, 1000, failingAfter(bytes(chunkSize() + 500, 31)), NO_LIMIT))
                .isInstanceOf(RuntimeException.class)
                .isNotInstanceOf(RangeNotSatisfiableException.class);

        assertThat(store.length(job)).isEqualTo(1000);
        assertThat(log(job)).isEqualTo(start);
        byte[] next = bytes(10, 32);
        assertThat(append(job, 1000, next)).isEqualTo(1010);
    }

    @Test
    void ofManyAppendsRacingForOneOffsetExactlyOneWins() throws Exception {
        JobId job = newJob();
        byte[] start = bytes(chunkSize() - 100, 40);
        append(job, 0, start);
        int racers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> results = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                byte[] body = bytes(300 + i * 50, 1000 + i); // each crosses the chunk boundary
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        return append(job, start.length, body);
                    } catch (RangeNotSatisfiableException lost) {
                        return -lost.currentLength();
                    }
                }));
            }
            go.countDown();
            List<Integer> winners = new ArrayList<>();
            long finalLength = -1;
            for (int i = 0; i < racers; i++) {
                long result = results.get(i).get(60, TimeUnit.SECONDS);
                if (result > 0) {
                    winners.add(i);
                    finalLength = result;
                }
            }
            assertThat(winners).hasSize(1);
            int winner = winners.get(0);
            byte[] expected = new byte[start.length + 300 + winner * 50];
            System.arraycopy(start, 0, expected, 0, start.length);
            System.arraycopy(bytes(300 + winner * 50, 1000 + winner), 0, expected, start.length,
                    300 + winner * 50);
            assertThat(finalLength).isEqualTo(expected.length);
            assertThat(store.length(job)).isEqualTo(expected.length);
            assertThat(log(job)).isEqualTo(expected);
            for (int i = 0; i < racers; i++) {
                if (i != winner) {
                    assertThat(-results.get(i).get()).as("a loser learns the winner's length")
                            .isEqualTo(expected.length);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void logsOfDifferentJobsAreSeparateUnderConcurrentAppends() throws Exception {
        int jobs = 6;
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            ids.add(newJob());
        }
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        List<Future<?>> work = new ArrayList<>();
        try {
            for (int i = 0; i < jobs; i++) {
                JobId job = ids.get(i);
                int seed = i;
                work.add(pool.submit(() -> {
                    long length = 0;
                    for (int part = 0; part < 20; part++) {
                        length = append(job, length, bytes(10_000, seed * 100L + part));
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < jobs; i++) {
            byte[] log = log(ids.get(i));
            assertThat(log).hasSize(200_000);
            assertThat(slice(log, 190_000, 10_000)).isEqualTo(bytes(10_000, i * 100L + 19));
        }
    }

    // --------------------------------------------------------------------------------------------------- reads

    @Test
    void aReadSeesTheLogAsItWasWhenOpened() throws IOException {
        JobId job = newJob();
        byte[] start = bytes(chunkSize() + 10, 50);
        append(job, 0, start);

        try (BlobContent opened = store.read(job, ByteRange.ALL)) {
            append(job, start.length, bytes(chunkSize(), 51));
            assertThat(opened.length()).isEqualTo(start.length);
            assertThat(opened.stream().readAllBytes()).isEqualTo(start);
        }
        assertThat(store.length(job)).isEqualTo(start.length + chunkSize());
    }

    // ----------------------------------------------------------------------------------------- delete, restart

    @Test
    void deleteRemovesTheLogIsIdempotentAndAllowsAFreshStart() {
        JobId job = newJob();
        JobId other = newJob();
        append(job, 0, bytes(3 * chunkSize(), 60));
        append(other, 0, bytes(100, 61));

        store.delete(job);
        store.delete(job);
        store.delete(newJob());

        assertThat(store.length(job)).isZero();
        assertThat(log(job)).isEmpty();
        assertThatThrownBy(() -> append(job, 3L * chunkSize(), bytes(1, 62)))
                .isInstanceOf(RangeNotSatisfiableException.class);
        assertThat(append(job, 0, bytes(5, 63))).isEqualTo(5);
        assertThat(log(job)).isEqualTo(bytes(5, 63));
        assertThat(log(other)).isEqualTo(bytes(100, 61));
    }

    @Test
    void acknowledgedAppendsSurviveARestart() {
        JobId job = newJob();
        byte[] first = bytes(chunkSize() + 1, 70);
        byte[] second = bytes(999, 71);
        append(job, 0, first);
        append(job, first.length, second);

        TraceStore restarted = restart(store);

        assertThat(restarted.length(job)).isEqualTo(first.length + second.length);
        byte[] log = readAll(restarted.read(job, ByteRange.ALL));
        assertThat(slice(log, 0, first.length)).isEqualTo(first);
        assertThat(slice(log, first.length, second.length)).isEqualTo(second);
        assertThat(restarted.append(job, log.length, new ByteArrayInputStream(bytes(3, 72)), NO_LIMIT))
                .isEqualTo(log.length + 3L);
    }
}
