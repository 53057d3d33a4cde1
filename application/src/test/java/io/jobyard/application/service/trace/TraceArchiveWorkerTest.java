package io.jobyard.application.service.trace;

import io.jobyard.application.memory.ForwardingTraceStore;
import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.runner.AppendTraceUseCase.AppendTraceCommand;
import io.jobyard.application.port.in.runner.AppendTraceUseCase;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceArchiveQueue.Entry;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.application.service.artifact.ArtifactWorld;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jobyard.application.service.artifact.ArtifactWorld.as;
import static io.jobyard.application.service.artifact.ArtifactWorld.tokenOf;
import static io.jobyard.application.service.artifact.TestBytes.readAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: a job's ending queues its log's archive in the ending's transaction, and {@link TraceArchiveWorker} makes
 * it afterwards — retried with backoff, resumed after a crash, the live chunks deleted only once the archive is
 * recorded, and the log readable byte for byte throughout.
 */
class TraceArchiveWorkerTest {
    private static final TraceArchiveSettings SETTINGS = TraceArchiveSettings.DEFAULTS
            .withRetry(Duration.ofSeconds(5), Duration.ofMinutes(1)).withLease(Duration.ofMinutes(10));

    private final ArtifactWorld world = new ArtifactWorld();
    private final AppendTraceUseCase appends = world.appends(ArtifactLimits.DEFAULTS);
    private final Pipeline pipeline = world.pipeline("main", JobStatus.RUNNING);

    private byte[] appendLog(Job job, int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        appends.append(new AppendTraceCommand(job.id(), tokenOf(job), 0, new ByteArrayInputStream(bytes)));
        return bytes;
    }

    private void end(Job job) {
        world.finisher.finish(job.id(), fresh -> fresh.succeed(world.clock.instant()));
    }

    private TraceArchiveWorker worker(String owner, TraceStore traces) {
        return world.ports.wire(world.settings, ports -> ports.traceStore = traces)
                .traceArchiveWorker(owner, SETTINGS);
    }

    private byte[] log(Job job) {
        return whole(world.readTrace.readTrace(as(world.reporter), world.ref, job.id()));
    }

    private static byte[] whole(Download download) {
        return readAll(download.open(ByteRange.ALL));
    }

    private boolean archived(Job job) {
        return world.repos.artifacts().findByJobAndType(job.id(), ArtifactFileType.TRACE).isPresent();
    }

    @Test
    void anEndingQueuesTheArchiveAndTheWorkerMakesItThenRemovesTheEntryAndTheLiveChunks() {
        Job job = world.runningJob(pipeline, "build");
        byte[] bytes = appendLog(job, 3000, 1);

        end(job);

        assertThat(world.ports.traceArchiveQueue.queued(List.of(job.id()))).containsExactly(job.id());
        assertThat(archived(job)).as("nothing archived in the ending").isFalse();
        assertThat(log(job)).as("served from the live chunks meanwhile").isEqualTo(bytes);

        assertThat(worker("w", world.traces).archiveAllDue()).isEqualTo(1);

        assertThat(archived(job)).isTrue();
        assertThat(world.traces.length(job.id())).isZero();
        assertThat(world.ports.traceArchiveQueue.size()).isZero();
        assertThat(log(job)).isEqualTo(bytes);
    }

    @Test
    void onlyEndingsOfExecutingJobsAreQueued() {
        Job pending = world.data.insert(world.data.jobBuilder(pipeline, "never-ran").status(JobStatus.PENDING));
        world.finisher.finish(pending.id(), fresh -> fresh.cancel(false, world.clock.instant()));
        Job running = world.runningJob(pipeline, "ran");
        world.finisher.finish(running.id(), fresh -> fresh.cancel(false, world.clock.instant()));

        assertThat(world.reload(pending).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(world.ports.traceArchiveQueue.queued(List.of(pending.id(), running.id())))
                .containsExactly(running.id());
    }

    @Test
    void aFailedAttemptIsRetriedWithBackoffAndTheLiveLogStaysReadable() {
        Job job = world.runningJob(pipeline, "build");
        byte[] bytes = appendLog(job, 2000, 2);
        end(job);
        AtomicInteger failures = new AtomicInteger(2);
        TraceStore flaky = new DelegatingTraceStore(world.traces) {
            @Override
            public BlobContent read(JobId id, ByteRange range) {
                if (failures.getAndDecrement() > 0) {
                    throw new UncheckedIOException(new java.io.IOException("object storage is down"));
                }
                return super.read(id, range);
            }
        };
        TraceArchiveWorker worker = worker("w", flaky);

        assertThat(worker.archiveAllDue()).isEqualTo(1);
        assertThat(archived(job)).isFalse();
        assertThat(log(job)).isEqualTo(bytes);
        Entry first = world.ports.traceArchiveQueue.claimDue(world.clock.instant().plusSeconds(5), 10, "peek",
                Duration.ofMillis(1)).get(0);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.nextAttemptAt()).isEqualTo(world.clock.instant().plusSeconds(5));

        world.clock.advance(Duration.ofSeconds(5).plusMillis(2)); // the peek's lease has run out too
        assertThat(worker.archiveAllDue()).isEqualTo(1);
        assertThat(archived(job)).isFalse();
        assertThat(worker.archiveAllDue()).as("the second retry waits twice as long").isZero();
        world.clock.advance(Duration.ofSeconds(10));
        assertThat(worker.archiveAllDue()).isEqualTo(1);

        assertThat(archived(job)).isTrue();
        assertThat(world.traces.length(job.id())).isZero();
        assertThat(world.ports.traceArchiveQueue.size()).isZero();
        assertThat(log(job)).isEqualTo(bytes);
    }

    @Test
    void retryDelaysDoubleUpToTheLongest() {
        TraceArchiveWorker worker = worker("w", world.traces);
        assertThat(worker.retryDelay(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(worker.retryDelay(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(worker.retryDelay(4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(worker.retryDelay(5)).isEqualTo(Duration.ofMinutes(1));
        assertThat(worker.retryDelay(500)).isEqualTo(Duration.ofMinutes(1));
    }

    /**
     * An instance dies after the archive is recorded and before the live chunks are deleted: its entry stays leased
     * until the lease runs out, then another worker takes it, finds the record and deletes the chunks it left.
     */
    @Test
    void chunksLeftByAWorkerKilledAfterTheRecordAreCollectedOnceItsLeaseRunsOut() {
        Job job = world.runningJob(pipeline, "build");
        byte[] bytes = appendLog(job, 1500, 3);
        end(job);
        TraceStore killedBeforeDelete = new DelegatingTraceStore(world.traces) {
            @Override
            public void delete(JobId id) {
                throw new Killed();
            }
        };
        // The dying instance's pass: it leases, copies and records, and dies (its thread never reaches the queue).
        List<Entry> leased = world.ports.traceArchiveQueue.claimDue(world.clock.instant(), 10, "dying",
                SETTINGS.lease());
        assertThat(leased).hasSize(1);
        try {
            world.ports.wire(world.settings, ports -> ports.traceStore = killedBeforeDelete).traceArchiver()
                    .archive(job.id());
        } catch (Killed expected) {
            // kill -9
        }
        assertThat(archived(job)).isTrue();
        assertThat(world.traces.length(job.id())).as("left by the crash").isEqualTo(1500);
        assertThat(log(job)).isEqualTo(bytes);

        TraceArchiveWorker other = worker("other", world.traces);
        assertThat(other.archiveAllDue()).as("still leased to the dead instance").isZero();
        world.clock.advance(SETTINGS.lease().plusSeconds(1));
        assertThat(other.archiveAllDue()).isEqualTo(1);

        assertThat(world.traces.length(job.id())).as("collected").isZero();
        assertThat(world.ports.traceArchiveQueue.size()).isZero();
        assertThat(world.repos.artifacts().findByJob(job.id())).filteredOn(a -> a.fileType() == ArtifactFileType.TRACE)
                .hasSize(1);
        assertThat(log(job)).isEqualTo(bytes);
    }

    /**
     * The hand-over read byte for byte: readers download the whole log and ranges of it over and over while the
     * worker archives, and at the one moment the log exists twice (recorded, live chunks not yet deleted) a read is
     * made too. Every read answers exactly the bytes the runner sent.
     */
    @Test
    void theLogReadsByteForByteAtEveryMomentOfTheHandOver() throws Exception {
        List<Job> jobs = new ArrayList<>();
        List<byte[]> logs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Job job = world.runningJob(pipeline, "job-" + i);
            jobs.add(job);
            logs.add(appendLog(job, 20_000 + 997 * i, 10 + i));
            end(job);
        }
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicInteger betweenRecordAndDelete = new AtomicInteger();
        TraceStore checkingAtDelete = new DelegatingTraceStore(world.traces) {
            @Override
            public void delete(JobId id) {
                int index = jobs.stream().map(Job::id).toList().indexOf(id);
                if (!java.util.Arrays.equals(log(jobs.get(index)), logs.get(index))) {
                    wrong.add("between record and delete: job " + id);
                }
                betweenRecordAndDelete.incrementAndGet();
                super.delete(id);
            }
        };
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            long seed = r;
            Thread reader = new Thread(() -> {
                Random random = new Random(seed);
                while (!done.get()) {
                    int index = random.nextInt(jobs.size());
                    byte[] expected = logs.get(index);
                    Download download = world.readTrace.readTrace(as(world.reporter), world.ref,
                            jobs.get(index).id());
                    if (download.size() != expected.length) {
                        wrong.add("size " + download.size() + " of job " + index);
                        continue;
                    }
                    int from = random.nextInt(expected.length);
                    int length = 1 + random.nextInt(expected.length - from);
                    byte[] part = readAll(download.open(new ByteRange(from, length)));
                    if (!java.util.Arrays.equals(part, java.util.Arrays.copyOfRange(expected, from, from + length))) {
                        wrong.add("range " + from + "+" + length + " of job " + index);
                    }
                    if (!java.util.Arrays.equals(whole(download), expected)) {
                        wrong.add("whole log of job " + index);
                    }
                    reads.incrementAndGet();
                }
            });
            reader.start();
            readers.add(reader);
        }
        try {
            TraceArchiveWorker worker = worker("w", checkingAtDelete);
            for (int pass = worker.archiveDue(null, 1); pass > 0; pass = worker.archiveDue(null, 1)) {
                Thread.onSpinWait();
            }
        } finally {
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
        }

        assertThat(wrong).isEmpty();
        assertThat(betweenRecordAndDelete).hasValue(jobs.size());
        assertThat(reads.get()).isPositive();
        for (int i = 0; i < jobs.size(); i++) {
            assertThat(archived(jobs.get(i))).isTrue();
            assertThat(world.traces.length(jobs.get(i).id())).isZero();
            assertThat(log(jobs.get(i))).isEqualTo(logs.get(i));
        }
    }

    private static final class Killed extends RuntimeException {
    }

    private static class DelegatingTraceStore extends ForwardingTraceStore {
        DelegatingTraceStore(TraceStore delegate) {
            super(delegate);
        }
    }
}
