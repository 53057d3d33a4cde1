package io.jobyard.application.service.trace;

import io.jobyard.application.service.PortCalls;
import io.jobyard.application.Services;
import io.jobyard.application.memory.ForwardingTraceStore;
import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.runner.AppendTraceUseCase.AppendTraceCommand;
import io.jobyard.application.port.in.runner.AppendTraceUseCase.TraceAppended;
import io.jobyard.application.port.in.runner.AppendTraceUseCase;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.application.service.artifact.ArtifactWorld;
import io.jobyard.application.service.artifact.TestBytes;
import io.jobyard.application.service.runner.AppendTraceService;
import io.jobyard.application.service.runner.JobFinisher;
import io.jobyard.application.service.runner.JobTokenAuthenticator;
import io.jobyard.application.service.runner.RunnerSettings;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.RunnerForbiddenException;
import io.jobyard.domain.error.TraceOffsetMismatchException;
import io.jobyard.domain.error.TraceTooLargeException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.RetryPolicy;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.jobyard.application.service.artifact.ArtifactWorld.as;
import static io.jobyard.application.service.artifact.ArtifactWorld.tokenOf;
import static io.jobyard.application.service.artifact.TestBytes.readAll;
import static io.jobyard.application.service.artifact.TestBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceServicesTest {
    private final ArtifactWorld world = new ArtifactWorld();
    private final AppendTraceUseCase appends = world.appends(ArtifactLimits.DEFAULTS);

    /** The archiver as wired over another view of the live logs. */
    private TraceArchiver archiverOver(TraceStore traces) {
        return world.ports.wire(world.settings, ports -> ports.traceStore = traces).traceArchiver();
    }
    private final Pipeline pipeline = world.pipeline("main", JobStatus.RUNNING);
    private final Job job = world.runningJob(pipeline, "build");

    private TraceAppended append(Job to, long offset, String text) {
        return appends.append(new AppendTraceCommand(to.id(), tokenOf(to), offset,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
    }

    private String liveLog(Job of) {
        return new String(readAll(world.traces.read(of.id(), ByteRange.ALL)), StandardCharsets.UTF_8);
    }

    private String trace(Job of) {
        return text(world.readTrace.readTrace(as(world.reporter), world.ref, of.id()));
    }

    /** Ends the job and archives its log, as the background worker does right after. */
    private Job succeed(Job running) {
        Job done = world.finisher.finish(running.id(), fresh -> fresh.succeed(world.clock.instant()));
        world.archiveLogs();
        return done;
    }

    // ------------------------------------------------------------------------------------------------- append

    @Nested
    class Append {
        @Test
        void appendsAtTheCurrentLengthAndAnswersTheNewLengthAndJobStatus() {
            TraceAppended first = append(job, 0, "Running with gitlab-runner\n");
            TraceAppended second = append(job, first.length(), "$ make\n");

            assertThat(first.length()).isEqualTo(27);
            assertThat(second.length()).isEqualTo(34);
            assertThat(second.jobStatus()).isEqualTo(JobStatus.RUNNING);
            assertThat(liveLog(job)).isEqualTo("Running with gitlab-runner\n$ make\n");
        }

        @Test
        void anAppendAtAnotherOffsetIsRefusedWithTheCurrentLengthWithoutReadingTheBody() {
            append(job, 0, "0123456789");
            InputStream untouchable = new InputStream() {
                @Override
                public int read() {
                    throw new AssertionError("the body must not be read");
                }
            };

            assertThatThrownBy(() -> appends.append(new AppendTraceCommand(job.id(), tokenOf(job), 5, untouchable)))
                    .isInstanceOfSatisfying(TraceOffsetMismatchException.class,
                            e -> assertThat(e.currentLength()).isEqualTo(10));
            assertThat(liveLog(job)).isEqualTo("0123456789");
        }

        /**
         * The runner's fleet bench found three reads of the log's length per append; the offset is now compared with
         * the length its tail read answers (the store compares it once more under its lock as it writes).
         */
        @Test
        void anAppendReadsTheLogsLengthOnceBeforeStoring() {
            append(job, 0, "0123456789");
            AtomicInteger lengthReads = new AtomicInteger();
            io.jobyard.application.port.out.TraceStore counting = new ForwardingTraceStore(world.traces) {
                @Override
                public long length(JobId id) {
                    lengthReads.incrementAndGet();
                    return super.length(id);
                }

                @Override
                public BlobContent read(JobId id, ByteRange range) {
                    lengthReads.incrementAndGet(); // a read answers the length with the bytes
                    return super.read(id, range);
                }
            };
            AppendTraceService service = new AppendTraceService(world.tokens, counting, world.archiver,
                    world.finisher, world.clock, ArtifactLimits.DEFAULTS, world.services.liveLogHub());

            TraceAppended appended = service.append(new AppendTraceCommand(job.id(), tokenOf(job), 10,
                    new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8))));

            assertThat(appended.length()).isEqualTo(13);
            assertThat(lengthReads).hasValue(1);
            assertThat(liveLog(job)).isEqualTo("0123456789abc");
        }

        /**
         * After storing, an append asks only whether its job still executes (its log is then archived later, with the
         * bytes): one read of the job, the project's existence having been checked at the start.
         */
        @Test
        void anAppendReadsTheProjectOnceAndTheJobTwice() {
            append(job, 0, "0123456789");
            Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
            JobRepository jobs = counting(JobRepository.class, world.repos.jobs(), "job", reads);
            ProjectRepository projects = counting(ProjectRepository.class, world.repos.projects(), "project", reads);
            AppendTraceService service = new AppendTraceService(new JobTokenAuthenticator(jobs, projects,
                    world.finisher, RunnerSettings.of(java.net.URI.create("http://localhost")), world.clock),
                    world.traces, world.archiver, world.finisher, world.clock, ArtifactLimits.DEFAULTS,
                    world.services.liveLogHub());

            TraceAppended appended = service.append(new AppendTraceCommand(job.id(), tokenOf(job), 10,
                    new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8))));

            assertThat(appended.jobStatus()).isEqualTo(JobStatus.RUNNING);
            assertThat(reads.get("project")).hasValue(1);
            assertThat(reads.get("job")).hasValue(2);
        }

        /** {@code delegate} behind {@code type}, counting its {@code findById} calls under {@code name}. */
        private <T> T counting(Class<T> type, T delegate, String name, Map<String, AtomicInteger> reads) {
            reads.put(name, new AtomicInteger());
            return PortCalls.counting(type, delegate, "findById"::equals, reads.get(name));
        }

        @Test
        void theJobTokenIsMaskedBeforeStorageKeepingTheLength() {
            String token = tokenOf(job);
            String line = "$ curl -H 'JOB-TOKEN: " + token + "' https://x; echo " + token + "\n";

            TraceAppended appended = append(job, 0, line);

            assertThat(appended.length()).isEqualTo(line.length());
            assertThat(liveLog(job)).doesNotContain(token)
                    .isEqualTo(line.replace(token, "x".repeat(token.length())));
        }

        @Test
        void additionalSecretsAreMaskedToo() {
            appends.append(new AppendTraceCommand(job.id(), tokenOf(job), 0,
                    new ByteArrayInputStream("runner glrt-SECRET here".getBytes(StandardCharsets.UTF_8)),
                    AppendTraceCommand.UNKNOWN_LENGTH, Set.of("glrt-SECRET")));

            assertThat(liveLog(job)).isEqualTo("runner xxxxxxxxxxx here");
        }

        /**
         * The token in the stored log after it was cut into appends at the cuts given: what of "glcbt-" was stored
         * by appends that ended within it stays, no character after it ever does.
         */
        private String expectedTokenRegion(String token, int tokenStart, List<Integer> cuts) {
            int publicPrefix = "glcbt-".length();
            int kept = 0;
            for (int cut : cuts) {
                int within = cut - tokenStart;
                if (within > 0 && within <= publicPrefix) {
                    kept = Math.max(kept, within);
                }
            }
            return token.substring(0, kept) + "x".repeat(token.length() - kept);
        }

        private void appendInPieces(Job to, String line, List<Integer> cuts) {
            long length = 0;
            int from = 0;
            for (int cut : cuts) {
                length = append(to, length, line.substring(from, cut)).length();
                from = cut;
            }
            append(to, length, line.substring(from));
        }

        @Test
        void aTokenSplitAcrossTwoAppendsAtAnyPositionIsReadableNeitherInTheLiveNorInTheArchivedLog() {
            String prefix = "$ curl -H 'JOB-TOKEN: ";
            for (int cut = 0; cut <= prefix.length() + 40; cut++) {
                Job split = world.runningJob(pipeline, "split-" + cut);
                String token = tokenOf(split);
                String line = prefix + token + "' https://example.com\n";
                appendInPieces(split, line, List.of(cut));
                String expected = prefix + expectedTokenRegion(token, prefix.length(), List.of(cut))
                        + "' https://example.com\n";

                assertThat(liveLog(split)).as("live, cut at " + cut).isEqualTo(expected);
                succeed(split);
                assertThat(world.repos.artifacts().findByJobAndType(split.id(),
                        io.jobyard.domain.artifact.ArtifactFileType.TRACE)).as("archived").isPresent();
                assertThat(trace(split)).as("archived, cut at " + cut).isEqualTo(expected);
            }
        }

        @Test
        void aTokenCutIntoThreeAppendsAtAnyTwoPositionsIsNeverReadable() {
            String prefix = "token=";
            int tokenLength = tokenOf(job).length();
            for (int first = prefix.length() - 1; first <= prefix.length() + tokenLength; first++) {
                for (int second = first; second <= prefix.length() + tokenLength + 1; second++) {
                    Job split = world.runningJob(pipeline, "cut-" + first + "-" + second);
                    String token = tokenOf(split);
                    String line = prefix + token + " done\n";
                    List<Integer> cuts = List.of(Math.min(first, line.length()), Math.min(second, line.length()));
                    appendInPieces(split, line, cuts);
                    assertThat(liveLog(split)).as("cut at " + cuts)
                            .isEqualTo(prefix + expectedTokenRegion(token, prefix.length(), cuts) + " done\n");
                }
            }
        }

        @Test
        void anAppendEndingWithThePublicPrefixAloneKeepsItAndTheRestIsMaskedLater() {
            String token = tokenOf(job);
            long length = append(job, 0, "say glcbt-").length();
            assertThat(liveLog(job)).isEqualTo("say glcbt-");
            append(job, length, token.substring(6) + "\n");
            assertThat(liveLog(job)).isEqualTo("say glcbt-" + "x".repeat(token.length() - 6) + "\n");
        }

        @Test
        void aLogGrowingPastTheLimitDropsTheJobProcessesThePipelineAndArchivesWhatThereIs() {
            AppendTraceUseCase limited = world.appends(ArtifactLimits.DEFAULTS.withMaxTraceSize(100));
            limited.append(new AppendTraceCommand(job.id(), tokenOf(job), 0,
                    new ByteArrayInputStream(new byte[60])));

            assertThatThrownBy(() -> limited.append(new AppendTraceCommand(job.id(), tokenOf(job), 60,
                    new ByteArrayInputStream(new byte[41]))))
                    .isExactlyInstanceOf(TraceTooLargeException.class);

            Job dropped = world.reload(job);
            assertThat(dropped.status()).isEqualTo(JobStatus.FAILED);
            assertThat(dropped.failureReason()).isEqualTo(FailureReason.TRACE_SIZE_EXCEEDED);
            world.archiveLogs(); // the background worker archives what the dropping queued
            assertThat(world.repos.pipelines().findById(pipeline.id()).orElseThrow().status())
                    .isEqualTo(JobStatus.FAILED);
            JobArtifact trace = world.repos.artifacts().findByJobAndType(job.id(), ArtifactFileType.TRACE)
                    .orElseThrow();
            assertThat(trace.size()).isEqualTo(60);
            assertThat(world.traces.length(job.id())).isZero();
            assertThatThrownBy(() -> limited.append(new AppendTraceCommand(job.id(), tokenOf(job), 60,
                    new ByteArrayInputStream(new byte[1]))))
                    .isInstanceOfSatisfying(RunnerForbiddenException.class,
                            e -> assertThat(e.jobStatus()).contains(JobStatus.FAILED));
        }

        @Test
        void aDeclaredLengthPastTheLimitDropsTheJobBeforeTheBodyIsRead() {
            AppendTraceUseCase limited = world.appends(ArtifactLimits.DEFAULTS.withMaxTraceSize(100));
            InputStream untouchable = new InputStream() {
                @Override
                public int read() {
                    throw new AssertionError("the body must not be read");
                }
            };

            assertThatThrownBy(() -> limited.append(new AppendTraceCommand(job.id(), tokenOf(job), 0, untouchable,
                    101, Set.of()))).isExactlyInstanceOf(TraceTooLargeException.class);
            assertThat(world.reload(job).failureReason()).isEqualTo(FailureReason.TRACE_SIZE_EXCEEDED);
        }

        @Test
        void aWrongTokenIsRefusedAsRunnerEndpointsRefuse() {
            assertThatThrownBy(() -> appends.append(new AppendTraceCommand(job.id(), "wrong", 0,
                    new ByteArrayInputStream(new byte[1])))).isInstanceOf(RunnerForbiddenException.class);
            assertThat(world.traces.length(job.id())).isZero();
        }
    }

    // --------------------------------------------------------------------------------------------------- read

    @Nested
    class Read {
        @Test
        void theLiveLogIsServedAsPlainTextWithRanges() {
            append(job, 0, "hello\nworld\n");

            Download download = world.readTrace.readTrace(as(world.reporter), world.ref, job.id());

            assertThat(download.filename()).isEqualTo(job.id() + ".log");
            assertThat(download.size()).isEqualTo(12);
            assertThat(download.rangeable()).isTrue();
            assertThat(text(download)).isEqualTo("hello\nworld\n");
            assertThat(readAll(download.open(new ByteRange(6, 5)))).asString().isEqualTo("world");
        }

        @Test
        void aDownloadShowsTheLogAsItWasWhenPreparedWithAStableEtag() {
            append(job, 0, "first\n");
            Download before = world.readTrace.readTrace(as(world.reporter), world.ref, job.id());
            append(job, 6, "second\n");
            Download after = world.readTrace.readTrace(as(world.reporter), world.ref, job.id());

            assertThat(text(before)).isEqualTo("first\n");
            assertThat(before.etag()).isNotEqualTo(after.etag());
            assertThat(world.readTrace.readTrace(as(world.reporter), world.ref, job.id()).etag())
                    .isEqualTo(after.etag());
        }

        @Test
        void aJobWithoutLogHasAnEmptyTrace() {
            Download download = world.readTrace.readTrace(as(world.reporter), world.ref, job.id());

            assertThat(download.size()).isZero();
            assertThat(text(download)).isEmpty();
        }

        @Test
        void checksRunInGitLabsOrderAndDebugLogsNeedADeveloper() {
            Job debug = world.data.insert(world.data.jobBuilder(pipeline, "debug")
                    .spec(new JobSpec("debug", "test", 1, WhenCondition.ON_SUCCESS, null, false, false, List.of(),
                            List.of(), List.of(), null, RetryPolicy.NONE, true, JobExecution.NONE)));

            assertThatThrownBy(() -> world.readTrace.readTrace(as(world.outsider), world.ref, job.id()))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.RESOURCE));
            assertThatThrownBy(() -> world.readTrace.readTrace(as(world.guest), world.ref, job.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> world.readTrace.readTrace(as(world.reporter), world.ref, JobId.of(55_555)))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.RECORD));
            assertThatThrownBy(() -> world.readTrace.readTrace(as(world.reporter), world.ref, debug.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThat(world.readTrace.readTrace(as(world.developer), world.ref, debug.id()).size()).isZero();
        }
    }

    @Nested
    class AppendRacingTheEnd {
        /**
         * A runner's append passes authentication while the job runs; the job ends (a user cancels it) and the
         * archiver copies and records the log; the append's bytes land just then, before the archiver removes the live
         * log. Acknowledging them would lose acknowledged bytes: the archived log, which readers use from now on, lacks
         * them and the live copy is removed.
         */
        @Test
        void anAppendLandingWhileTheLogIsArchivedIsRefusedNotAcknowledgedAndLost() {
            append(job, 0, "before\n");
            AtomicReference<Runnable> lateBytesLand = new AtomicReference<>(() -> { });
            KeepingTraceStore archiversView = new KeepingTraceStore(world.traces) {
                @Override
                public void delete(JobId id) {
                    lateBytesLand.get().run();
                    world.traces.delete(id);
                }
            };
            TraceArchiver archiver = new TraceArchiver(world.repos.jobs(), world.repos.artifacts(), archiversView,
                    world.store, world.repos.transactor(), world.clock);
            JobFinisher finisher = new JobFinisher(world.repos.jobs(), world.progress,
                    new OptimisticRetry(world.repos.transactor()), world.services.liveLogHub());
            KeepingTraceStore appendersView = new KeepingTraceStore(world.traces) {
                @Override
                public long append(JobId id, long offset, InputStream data, long maxLength) {
                    long[] length = new long[1];
                    lateBytesLand.set(() -> length[0] = world.traces.append(id, offset, data, maxLength));
                    finisher.finish(id, fresh -> fresh.cancel(false, world.clock.instant()));
                    archiver.archive(id); // the background worker, just then
                    return length[0];
                }
            };
            AppendTraceService racing = new AppendTraceService(world.tokens, appendersView, world.archiver,
                    finisher, world.clock, ArtifactLimits.DEFAULTS, world.services.liveLogHub());

            assertThatThrownBy(() -> racing.append(new AppendTraceCommand(job.id(), tokenOf(job), 7,
                    new ByteArrayInputStream("after\n".getBytes(StandardCharsets.UTF_8)))))
                    .isInstanceOfSatisfying(RunnerForbiddenException.class,
                            e -> assertThat(e.getMessage()).contains("not processing"));
            assertThat(world.reload(job).status()).isEqualTo(JobStatus.CANCELED);
            assertThat(trace(job)).isEqualTo("before\n");
        }

        /** An append service over {@code store}, ending jobs and archiving their logs as the world does. */
        private AppendTraceService appendsOver(io.jobyard.application.port.out.TraceStore store) {
            return new AppendTraceService(world.tokens, store, world.archiver, world.finisher,
                    world.clock, ArtifactLimits.DEFAULTS, world.services.liveLogHub());
        }

        private TraceAppended appendVia(AppendTraceService service, Job to, long offset, String text) {
            return service.append(new AppendTraceCommand(to.id(), tokenOf(to), offset,
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
        }

        /** Cancels the job, and the background worker archives its log right after. */
        private void cancel(JobId id) {
            world.finisher.finish(id, fresh -> fresh.cancel(false, world.clock.instant()));
            world.archiveLogs();
        }

        /**
         * Under load on PostgreSQL a runner got a 500: its append read the log's last bytes (where a split secret may
         * begin) as the job was canceled, and the archiver removed the live log between the length and the chunk the
         * read fetched ("live log ... was removed while it was read"). GitLab answers an append to an ended job 403
         * with Job-Status.
         */
        @Test
        void anAppendWhoseLogIsArchivedAndRemovedWhileItReadsTheTailIsRefusedAsAfterTheEnd() {
            append(job, 0, "before\n");
            KeepingTraceStore removedWhileRead = new KeepingTraceStore(world.traces) {
                @Override
                public BlobContent read(JobId id, ByteRange range) {
                    BlobContent opened = super.read(id, range);
                    // The database store fetches its chunks as they are read: the log goes before the first fetch.
                    InputStream fetched = new InputStream() {
                        @Override
                        public int read() throws IOException {
                            cancel(id);
                            throw new IOException("live log of job " + id + " was removed while it was read");
                        }
                    };
                    return new BlobContent(fetched, opened.totalSize(), opened.offset(), opened.length());
                }
            };

            assertThatThrownBy(() -> appendVia(appendsOver(removedWhileRead), job, 7, "after\n"))
                    .isInstanceOfSatisfying(RunnerForbiddenException.class,
                            e -> assertThat(e.jobStatus()).contains(JobStatus.CANCELED));
            assertThat(trace(job)).isEqualTo("before\n");
        }

        /** The same race a little later: the log is gone when the tail is opened, which read as "416 Range: 0-0". */
        @Test
        void anAppendWhoseLogIsRemovedBeforeItReadsTheTailIsRefusedAsAfterTheEndNotSentBackToByteZero() {
            append(job, 0, "before\n");
            KeepingTraceStore removedBeforeRead = new KeepingTraceStore(world.traces) {
                @Override
                public BlobContent read(JobId id, ByteRange range) {
                    cancel(id);
                    return super.read(id, range);
                }
            };

            assertThatThrownBy(() -> appendVia(appendsOver(removedBeforeRead), job, 7, "after\n"))
                    .isInstanceOfSatisfying(RunnerForbiddenException.class,
                            e -> assertThat(e.jobStatus()).contains(JobStatus.CANCELED));
            assertThat(trace(job)).isEqualTo("before\n");
        }

        /**
         * The same race at its earliest: the log is archived and removed before the append compares its offset with
         * the log's length (now 0), which read as "416 Range: 0-0" and sent the runner back to byte 0.
         */
        @Test
        void anAppendWhoseLogIsRemovedBeforeItComparesItsOffsetIsRefusedAsAfterTheEnd() {
            append(job, 0, "before\n");
            // The offset is compared with the length read alone or with the tail: the log goes before either.
            KeepingTraceStore removedBeforeCompared = new KeepingTraceStore(world.traces) {
                private boolean canceled;

                @Override
                public long length(JobId id) {
                    cancelOnce(id);
                    return super.length(id);
                }

                @Override
                public BlobContent read(JobId id, ByteRange range) {
                    cancelOnce(id);
                    return super.read(id, range);
                }

                private void cancelOnce(JobId id) {
                    if (!canceled) {
                        canceled = true;
                        cancel(id);
                    }
                }
            };

            assertThatThrownBy(() -> appendVia(appendsOver(removedBeforeCompared), job, 7, "after\n"))
                    .isInstanceOfSatisfying(RunnerForbiddenException.class,
                            e -> assertThat(e.jobStatus()).contains(JobStatus.CANCELED));
            assertThat(trace(job)).isEqualTo("before\n");
        }

        /**
         * Under load an erased job's log came back: a runner's first append passed authentication while the job ran;
         * the job ended and was erased (records, then the live log) before the append's bytes were stored, at offset
         * 0, where a removed log accepts them as a new one.
         */
        @Test
        void anAppendStoredAfterAnEraseRemovedTheLogDoesNotBringTheLogBack() {
            KeepingTraceStore erasedBeforeStored = new KeepingTraceStore(world.traces) {
                @Override
                public long append(JobId id, long offset, InputStream data, long maxLength) {
                    world.finisher.finish(id, fresh -> fresh.succeed(world.clock.instant()));
                    world.repos.jobs().update(world.reload(job).erase(world.maintainer.id(), world.clock.instant()));
                    world.traces.delete(id);
                    return world.traces.append(id, offset, data, maxLength);
                }

                @Override
                public void delete(JobId id) {
                    world.traces.delete(id);
                }
            };

            assertThatThrownBy(() -> appendVia(appendsOver(erasedBeforeStored), job, 0, "secret output\n"))
                    .isInstanceOfSatisfying(RunnerForbiddenException.class,
                            e -> assertThat(e.getMessage()).contains("erased"));
            assertThat(world.traces.length(job.id())).isZero();
            assertThat(trace(job)).isEmpty();
        }

        /**
         * Under load an append was stored, then a second one after it was acknowledged (202), and then the first was
         * refused (403): two runner requests at once, the first still storing as the second was stored and judged,
         * and the job ending before the first was judged. Both were stored while the job ran and both are in its
         * archived log; refusing the first left a refused append in the middle of the acknowledged log.
         */
        @Test
        void anAppendStoredBeforeTheEndButJudgedAfterItIsAcknowledgedWhenTheArchivedLogHoldsIt() {
            AppendTraceService plain = appendsOver(world.traces);
            TraceAppended[] second = new TraceAppended[1];
            KeepingTraceStore slowToAnswer = new KeepingTraceStore(world.traces) {
                @Override
                public long append(JobId id, long offset, InputStream data, long maxLength) {
                    long length = world.traces.append(id, offset, data, maxLength);
                    second[0] = appendVia(plain, job, length, "second\n");
                    succeed(job);
                    return length;
                }

                @Override
                public void delete(JobId id) {
                    world.traces.delete(id);
                }
            };

            TraceAppended first = appendVia(appendsOver(slowToAnswer), job, 0, "first\n");

            assertThat(second[0]).isEqualTo(new TraceAppended(13, JobStatus.RUNNING));
            assertThat(first).isEqualTo(new TraceAppended(6, JobStatus.SUCCESS));
            assertThat(trace(job)).isEqualTo("first\nsecond\n");
        }

        /**
         * Two first appends at once: the other one is stored, the job ends and its log is archived and removed, and
         * only then are this one's bytes stored — at 0, where the removed log takes them as a new one. The archived
         * log is longer than this append's end but does not hold its bytes: refused, and not in the log.
         */
        @Test
        void anAppendStoredAfterTheArchiveWasTakenStaysRefusedHoweverLongTheArchivedLog() {
            KeepingTraceStore landingAfterTheArchive = new KeepingTraceStore(world.traces) {
                @Override
                public long append(JobId id, long offset, InputStream data, long maxLength) {
                    TraceServicesTest.this.append(job, 0, "the other one\n");
                    cancel(id);
                    return world.traces.append(id, offset, data, maxLength);
                }

                @Override
                public void delete(JobId id) {
                    world.traces.delete(id);
                }
            };

            assertThatThrownBy(() -> appendVia(appendsOver(landingAfterTheArchive), job, 0, "this one\n"))
                    .isInstanceOfSatisfying(RunnerForbiddenException.class,
                            e -> assertThat(e.jobStatus()).contains(JobStatus.CANCELED));
            assertThat(trace(job)).isEqualTo("the other one\n");
            assertThat(world.traces.length(job.id())).as("the live log this one started").isZero();
        }
    }

    @Nested
    class AppendRacingAnotherAppend {
        /**
         * Two appends at the same offset pass the length check together; the store takes the first and refuses the
         * second with its range error. The runner of the second is told where the log now ends, as for any append at
         * the wrong offset, so it resends from there.
         */
        @Test
        void theLaterOfTwoAppendsAtOneOffsetIsAskedToResendFromTheNewEnd() {
            append(job, 0, "0123\n");
            KeepingTraceStore racedView = new KeepingTraceStore(world.traces) {
                @Override
                public long append(JobId id, long offset, InputStream data, long maxLength) {
                    world.traces.append(id, offset, new ByteArrayInputStream("other\n".getBytes(StandardCharsets.UTF_8)),
                            maxLength);
                    return world.traces.append(id, offset, data, maxLength);
                }
            };
            AppendTraceService racing = new AppendTraceService(world.tokens, racedView, world.archiver,
                    world.finisher, world.clock, ArtifactLimits.DEFAULTS, world.services.liveLogHub());

            assertThatThrownBy(() -> racing.append(new AppendTraceCommand(job.id(), tokenOf(job), 5,
                    new ByteArrayInputStream("late\n".getBytes(StandardCharsets.UTF_8)))))
                    .isInstanceOfSatisfying(TraceOffsetMismatchException.class,
                            e -> assertThat(e.currentLength()).isEqualTo(11));
            assertThat(liveLog(job)).isEqualTo("0123\nother\n");
        }
    }

    // ------------------------------------------------------------------------------------------------ archive

    @Nested
    class Archive {
        @Test
        void completingTheJobArchivesTheLogAsATraceArtifactAndRemovesTheLiveLog() {
            append(job, 0, "line 1\nline 2\n");

            succeed(job);

            JobArtifact trace = world.repos.artifacts().findByJobAndType(job.id(), ArtifactFileType.TRACE)
                    .orElseThrow();
            assertThat(trace.filename()).isEqualTo("job.log");
            assertThat(trace.fileFormat()).isEqualTo(ArtifactFormat.RAW);
            assertThat(trace.size()).isEqualTo(14);
            assertThat(trace.expireAt()).isNull();
            assertThat(trace.sha256()).isEqualTo(TestBytes.sha256("line 1\nline 2\n".getBytes()));
            assertThat(world.traces.length(job.id())).isZero();
            assertThat(world.store.stagedCount()).isZero();
            Download archived = world.readTrace.readTrace(as(world.reporter), world.ref, job.id());
            assertThat(text(archived)).isEqualTo("line 1\nline 2\n");
            assertThat(archived.etag()).isEqualTo(trace.sha256());
            assertThat(readAll(archived.open(new ByteRange(7, 6)))).asString().isEqualTo("line 2");
        }

        @Test
        void aDownloadPreparedFromTheLiveLogStillWorksAfterTheLogWasArchived() {
            append(job, 0, "before archiving\n");
            Download prepared = world.readTrace.readTrace(as(world.reporter), world.ref, job.id());

            succeed(job);

            assertThat(world.traces.length(job.id())).isZero();
            assertThat(text(prepared)).isEqualTo("before archiving\n");
            assertThat(readAll(prepared.open(new ByteRange(7, 9)))).asString().isEqualTo("archiving");
        }

        @Test
        void readsWorkWhileTheArchiverIsBetweenItsSteps() {
            append(job, 0, "log text\n");
            Job done = world.repos.jobs().update(world.reload(job).succeed(world.clock.instant()));
            // A crash after the record was committed but before the live log was removed: both exist.
            JobArtifact record = archiverOver(new KeepingTraceStore(world.traces)).archive(done.id()).orElseThrow();

            assertThat(world.traces.length(job.id())).as("live log still there").isEqualTo(9);
            assertThat(trace(job)).isEqualTo("log text\n");

            assertThat(world.archiver.archive(done.id())).contains(record);
            assertThat(world.traces.length(job.id())).isZero();
            assertThat(trace(job)).isEqualTo("log text\n");
            assertThat(world.store.keys()).containsExactly(record.storageKey());
        }

        @Test
        void theLiveLogIsRemovedOnlyOnceTheArchivedCopyIsRecordedAndReadable() {
            append(job, 0, "ordered\n");
            Job done = world.repos.jobs().update(world.reload(job).succeed(world.clock.instant()));
            List<String> seenAtDelete = new ArrayList<>();
            KeepingTraceStore observing = new KeepingTraceStore(world.traces) {
                @Override
                public void delete(JobId id) {
                    seenAtDelete.add(world.repos.artifacts().findByJobAndType(id, ArtifactFileType.TRACE)
                            .flatMap(trace -> world.store.bytes(trace.storageKey()))
                            .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                            .orElse("nothing archived yet"));
                    world.traces.delete(id);
                }
            };

            archiverOver(observing).archive(done.id());

            assertThat(seenAtDelete).containsExactly("ordered\n");
        }

        /**
         * Under load on PostgreSQL two archivers of one job (the ending's and an append's) raced: one copied the log
         * while the other recorded its copy and removed the live log, and the database store's stream failed mid-copy
         * ("live log ... was removed while it was read"). The archive failed instead of finding the other's record,
         * and the append that had asked was refused although the archived log held its bytes.
         */
        @Test
        void anArchiverWhoseCopyFailsBecauseAnotherArchivedAndRemovedTheLogReturnsTheOthersRecord() {
            append(job, 0, "log text\n");
            Job done = world.repos.jobs().update(world.reload(job).succeed(world.clock.instant()));
            KeepingTraceStore removedWhileCopied = new KeepingTraceStore(world.traces) {
                @Override
                public BlobContent read(JobId id, ByteRange range) {
                    BlobContent opened = super.read(id, range);
                    InputStream fetched = new InputStream() {
                        @Override
                        public int read() throws IOException {
                            world.archiver.archive(id);
                            throw new IOException("live log of job " + id + " was removed while it was read");
                        }
                    };
                    return new BlobContent(fetched, opened.totalSize(), opened.offset(), opened.length());
                }
            };

            Optional<JobArtifact> archived = new TraceArchiver(world.repos.jobs(), world.repos.artifacts(),
                    removedWhileCopied, world.store, world.repos.transactor(), world.clock).archive(done.id());

            JobArtifact other = world.repos.artifacts().findByJobAndType(job.id(), ArtifactFileType.TRACE)
                    .orElseThrow();
            assertThat(archived).contains(other);
            assertThat(trace(job)).isEqualTo("log text\n");
            assertThat(world.store.keys()).containsExactly(other.storageKey());
        }

        @Test
        void aJobErasedWhileItsLogIsCopiedGetsNoArchivedLogBack() {
            append(job, 0, "secret output\n");
            Job done = world.repos.jobs().update(world.reload(job).succeed(world.clock.instant()));
            int[] lengthReads = {0};
            KeepingTraceStore erasedMeanwhile = new KeepingTraceStore(world.traces) {
                @Override
                public long length(JobId id) {
                    if (++lengthReads[0] == 2) {
                        // The erase commits after the archiver copied the log, before it records the copy (its own
                        // removal of the live log comes after its commit).
                        world.repos.jobs().update(world.reload(job).erase(world.maintainer.id(),
                                world.clock.instant()));
                    }
                    return super.length(id);
                }

                @Override
                public void delete(JobId id) {
                    world.traces.delete(id);
                }
            };

            Optional<JobArtifact> archived = archiverOver(erasedMeanwhile).archive(done.id());

            assertThat(archived).isEmpty();
            assertThat(world.repos.artifacts().findByJob(job.id())).isEmpty();
            assertThat(world.store.keys()).as("the copy").isEmpty();
        }

        @Test
        void archivingIsIdempotentAndIgnoresJobsStillRunningOrWithoutLog() {
            append(job, 0, "x\n");
            assertThat(world.archiver.archive(job.id())).as("still running").isEmpty();
            assertThat(world.traces.length(job.id())).isEqualTo(2);

            Job done = succeed(job);
            JobArtifact first = world.repos.artifacts().findByJobAndType(job.id(), ArtifactFileType.TRACE)
                    .orElseThrow();

            assertThat(world.archiver.archive(done.id())).contains(first);
            assertThat(world.store.keys()).containsExactly(first.storageKey());
            Job silent = world.runningJob(pipeline, "silent");
            succeed(silent);
            assertThat(world.repos.artifacts().findByJobAndType(silent.id(), ArtifactFileType.TRACE)).isEmpty();
        }

        @Test
        void concurrentArchiversRecordOneTraceAndLeaveNoExtraCopies() throws Exception {
            append(job, 0, "contended\n".repeat(1000));
            Job done = world.repos.jobs().update(world.reload(job).succeed(world.clock.instant()));
            int archivers = 4;
            ExecutorService pool = Executors.newFixedThreadPool(archivers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<JobArtifact>>> results = new ArrayList<>();
            try {
                for (int i = 0; i < archivers; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return world.archiver.archive(done.id());
                    }));
                }
                go.countDown();
                JobArtifact recorded = world.repos.artifacts().findByJobAndType(job.id(), ArtifactFileType.TRACE)
                        .orElse(null);
                for (Future<Optional<JobArtifact>> result : results) {
                    Optional<JobArtifact> archived = result.get(30, TimeUnit.SECONDS);
                    assertThat(archived).isPresent();
                    recorded = archived.get();
                }
                JobArtifact only = world.repos.artifacts().findByJobAndType(job.id(), ArtifactFileType.TRACE)
                        .orElseThrow();
                assertThat(recorded).isEqualTo(only);
                assertThat(world.store.keys()).containsExactly(only.storageKey());
                assertThat(world.store.stagedCount()).isZero();
                assertThat(world.traces.length(job.id())).isZero();
                assertThat(trace(job)).isEqualTo("contended\n".repeat(1000));
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void archivingWithTheSecretsMasksATokenSplitAcrossAppends() {
            String token = tokenOf(job);
            long length = append(job, 0, "token=" + token.substring(0, 10)).length();
            append(job, length, token.substring(10) + "\n");
            Job done = world.repos.jobs().update(world.reload(job).succeed(world.clock.instant()));

            world.archiver.archive(done.id(), Set.of(token));

            assertThat(trace(job)).isEqualTo("token=" + "x".repeat(token.length()) + "\n");
        }
    }

    /** A trace store whose delete does nothing: the archiver then stops, in effect, just before its last step. */
    private static class KeepingTraceStore extends ForwardingTraceStore {
        KeepingTraceStore(io.jobyard.application.port.out.TraceStore delegate) {
            super(delegate);
        }

        @Override
        public void delete(JobId job) {
            // the crash happens here
        }
    }
}
