package io.jobyard.application.service.live;

import io.jobyard.application.Services;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.ForwardingTraceStore;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.application.memory.InMemoryTraceStore;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.runner.AppendTraceUseCase.AppendTraceCommand;
import io.jobyard.application.port.in.runner.AppendTraceUseCase.TraceAppended;
import io.jobyard.application.port.in.runner.AppendTraceUseCase;
import io.jobyard.application.port.in.trace.ReadTraceUseCase;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.LiveLogSignals;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.service.MutableClock;
import io.jobyard.application.service.runner.JobFinisher;
import io.jobyard.application.service.trace.TraceArchiveSettings;
import io.jobyard.application.service.trace.TraceArchiveWorker;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.User;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live log hub wired over the in-memory ports as production wires it ({@link Services}): the runner's appends tell
 * it after they are stored, job endings tell it and queue the log's archive, which the archive worker makes and tells
 * it again ({@link #succeed} runs the worker right after the ending, as an instance's archiving threads would), and the
 * trace read decides who may follow. The poll runs only when a test calls {@link LiveLogHub#poll()}, so every test
 * decides when time passes.
 */
final class LiveWorld implements AutoCloseable {
    static final Instant NOW = TestData.T0.plus(Duration.ofDays(1));
    static final LiveLogSettings SETTINGS = LiveLogSettings.DEFAULTS.withPollInterval(Duration.ofHours(1))
            .withChunkSize(1024).withMaxPendingBytes(8 * 1024);

    final MutableClock clock = new MutableClock(NOW);
    final InMemoryPorts ports = new InMemoryPorts(clock);
    final Repositories repos = ports.repos;
    final TestData data = new TestData(repos);
    final CountingTraceStore traces = new CountingTraceStore(new InMemoryTraceStore(1000));
    final Services services;
    final ReadTraceUseCase readTrace;
    final LiveLogHub hub;
    final JobFinisher finisher;
    final AppendTraceUseCase appends;
    final TraceArchiveWorker archiver;

    final User maintainer = data.user("max");
    final User outsider = data.user("otto");
    final Project project = data.project("acme", "app", Visibility.PRIVATE, false);
    final ProjectRef ref = ProjectRef.of(project.id());

    LiveWorld() {
        this(SETTINGS, LiveLogSignals.LOCAL_ONLY);
    }

    LiveWorld(LiveLogSettings settings, LiveLogSignals signals) {
        data.member(project, maintainer, Role.MAINTAINER);
        ports.traceStore = traces;
        ports.liveLogSignals = signals;
        services = ports.wire(Services.Settings.defaults(URI.create("https://ci.example.com"))
                .withArchivePolicy(new ArchivePolicy(Duration.ofDays(90))).withLiveLog(settings));
        readTrace = services.readTrace();
        hub = services.liveLogHub();
        finisher = services.jobFinisher();
        appends = services.appendTrace();
        archiver = services.traceArchiveWorker("live-world-archiver", TraceArchiveSettings.DEFAULTS);
    }

    Actor as(User user) {
        return Actor.UserActor.withFullAccess(user);
    }

    static String tokenOf(Job job) {
        return "glcbt-live-token-of-job-" + job.id();
    }

    Job runningJob(String name) {
        Pipeline pipeline = data.pipeline(project, "main", JobStatus.RUNNING);
        Job.Builder builder = data.jobBuilder(pipeline, name);
        Job draft = builder.build();
        return data.insert(builder.status(JobStatus.RUNNING).queuedAt(clock.instant().minusSeconds(5))
                .startedAt(clock.instant()).tokenDigest(TestData.digest(tokenOf(draft))));
    }

    TraceAppended append(Job job, byte[] bytes) {
        long offset = traces.length(job.id());
        return appends.append(new AppendTraceCommand(job.id(), tokenOf(job), offset, new ByteArrayInputStream(bytes)));
    }

    /** Ends the job, and the archive worker archives its log right after. */
    Job succeed(Job job) {
        Job done = endOnly(job);
        archiver.archiveAllDue();
        return done;
    }

    /** Ends the job; its log waits in the archive queue until {@link #archiver} runs. */
    Job endOnly(Job job) {
        return finisher.finish(job.id(), fresh -> fresh.succeed(clock.instant()));
    }

    /** The log as the trace read serves it now. */
    byte[] storedLog(Job job) {
        try (BlobContent content = services.traceReader().logOf(job.id()).open(ByteRange.ALL)) {
            return content.stream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        hub.close();
    }

    /** Counts the reads of live logs, to prove an append is read once for all of its followers. */
    static final class CountingTraceStore extends ForwardingTraceStore {
        final AtomicInteger reads = new AtomicInteger();

        CountingTraceStore(TraceStore delegate) {
            super(delegate);
        }

        @Override
        public BlobContent read(JobId job, ByteRange range) {
            BlobContent content = super.read(job, range);
            reads.incrementAndGet();
            return content;
        }
    }
}
