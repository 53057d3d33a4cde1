package io.jobyard.application.service.artifact;

import io.jobyard.application.Services;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryArchiveIndexRepository;
import io.jobyard.application.memory.InMemoryArtifactStore;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.application.memory.InMemoryTraceStore;
import io.jobyard.application.memory.InMemoryTransactor;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.in.runner.AppendTraceUseCase;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase.UploadArtifactCommand;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase;
import io.jobyard.application.port.in.trace.ReadTraceUseCase;
import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.service.MutableClock;
import io.jobyard.application.service.pipeline.PipelineProgress;
import io.jobyard.application.service.runner.JobFinisher;
import io.jobyard.application.service.runner.JobTokenAuthenticator;
import io.jobyard.application.service.trace.TraceArchiver;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.application.service.trace.TraceArchiveSettings;
import io.jobyard.application.service.trace.TraceArchiveWorker;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.User;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * The artifact and log services wired over the in-memory ports by {@link Services}, as production wires them — runner
 * authentication and job endings through {@link JobTokenAuthenticator} and {@link JobFinisher}, the trace archive
 * worker ({@link #archiveLogs}) in place of the background threads — plus a private project with one member per role.
 */
public final class ArtifactWorld {
    public static final Instant NOW = TestData.T0.plus(Duration.ofDays(1));

    public final MutableClock clock = new MutableClock(NOW);
    public final InMemoryPorts ports = new InMemoryPorts(clock);
    public final Repositories repos = ports.repos;
    public final TestData data = new TestData(repos);
    public final InMemoryTransactor transactor = ports.transactor;
    public final InMemoryArtifactStore store = (InMemoryArtifactStore) ports.artifactStore;
    public final InMemoryTraceStore traces = (InMemoryTraceStore) ports.traceStore;
    public final InMemoryArchiveIndexRepository index = ports.archiveIndexStore;
    public final Services.Settings settings = Services.Settings.defaults(URI.create("https://ci.example.com"))
            .withArchivePolicy(new ArchivePolicy(Duration.ofDays(90)));
    public final Services services = ports.wire(settings);
    public final PipelineProgress progress = services.pipelineProgress();
    public final TraceArchiver archiver = services.traceArchiver();
    public final JobFinisher finisher = services.jobFinisher();
    /** What the instance's background threads do: archive the logs the endings queued. */
    public final TraceArchiveWorker archiveWorker = services.traceArchiveWorker("test-archiver",
            TraceArchiveSettings.DEFAULTS);
    public final JobTokenAuthenticator tokens = services.jobTokens();
    public final ReadTraceUseCase readTrace = services.readTrace();

    public final User maintainer = data.user("max");
    public final User developer = data.user("dev");
    public final User reporter = data.user("rita");
    public final User guest = data.user("gus");
    public final User outsider = data.user("otto");
    public final Project project = data.project("acme", "app", Visibility.PRIVATE, false);
    public final ProjectRef ref = ProjectRef.of(project.id());

    public ArtifactWorld() {
        data.member(project, maintainer, Role.MAINTAINER);
        data.member(project, developer, Role.DEVELOPER);
        data.member(project, reporter, Role.REPORTER);
        data.member(project, guest, Role.GUEST);
    }

    /** Archives every queued log that is due, as the background worker would now; how many it attempted. */
    public int archiveLogs() {
        return archiveWorker.archiveAllDue();
    }

    public static Actor as(User user) {
        return Actor.UserActor.withFullAccess(user);
    }

    public UploadArtifactUseCase uploads(ArtifactLimits limits) {
        return ports.wire(settings.withArtifactLimits(limits)).uploadArtifact();
    }

    public UploadArtifactUseCase uploads(ArtifactLimits limits, ArchiveIndexRepository withIndex,
                                         ArtifactStore withStore) {
        return ports.wire(settings.withArtifactLimits(limits), other -> {
            other.archiveIndex = withIndex;
            other.artifactStore = withStore;
        }).uploadArtifact();
    }

    public ArtifactsUseCase artifacts(DownloadSettings downloads) {
        return ports.wire(settings.withDownloads(downloads)).artifacts();
    }

    public ArtifactsUseCase artifacts() {
        return services.artifacts();
    }

    public AppendTraceUseCase appends(ArtifactLimits limits) {
        return ports.wire(settings.withArtifactLimits(limits)).appendTrace();
    }

    public ArtifactExpirySweeper sweeper(int batchSize) {
        return services.artifactExpirySweeper(batchSize);
    }

    public Pipeline pipeline(String ref, JobStatus status) {
        return data.pipeline(project, ref, status);
    }

    /** The CI token a job made by {@link #runningJob} was given. */
    public static String tokenOf(Job job) {
        return "glcbt-test-token-of-job-" + job.id();
    }

    /** A running job of {@code pipeline}, started now, with the token {@link #tokenOf} names. */
    public Job runningJob(Pipeline pipeline, String name) {
        Job.Builder builder = data.jobBuilder(pipeline, name);
        Job draft = builder.build();
        return data.insert(builder.status(JobStatus.RUNNING).queuedAt(clock.instant().minusSeconds(5))
                .startedAt(clock.instant()).tokenDigest(TestData.digest(tokenOf(draft))));
    }

    public Job runningJob(String name) {
        return runningJob(pipeline("main", JobStatus.RUNNING), name);
    }

    /** A finished job (success) in a pipeline of {@code ref} that has {@code status}. */
    public Job finishedJob(String ref, JobStatus pipelineStatus, String name) {
        return data.job(pipeline(ref, pipelineStatus), name, JobStatus.SUCCESS);
    }

    /** Uploads an archive for {@code job}, which must be running. */
    public JobArtifact uploadArchive(Job job, byte[] zip) {
        return uploads(ArtifactLimits.DEFAULTS)
                .upload(UploadArtifactCommand.archive(job.id(), tokenOf(job), new ByteArrayInputStream(zip)));
    }

    /**
     * An archive for a job in any status: uploaded while it ran, then the job set to {@code finalStatus}, as a
     * runner would leave it.
     */
    public JobArtifact archiveFor(Pipeline pipeline, String name, byte[] zip, JobStatus finalStatus) {
        Job job = runningJob(pipeline, name);
        JobArtifact archive = uploadArchive(job, zip);
        Job current = repos.jobs().findById(job.id()).orElseThrow();
        repos.jobs().update(current.toBuilder().status(finalStatus).finishedAt(clock.instant()).build());
        return archive;
    }

    public JobArtifact upload(Job job, ArtifactFileType type, ArtifactFormat format, String expireIn,
                       ArtifactAccessibility accessibility, byte[] content) {
        return uploads(ArtifactLimits.DEFAULTS).upload(new UploadArtifactCommand(job.id(), tokenOf(job), type, format,
                expireIn, accessibility, null, new ByteArrayInputStream(content),
                UploadArtifactCommand.UNKNOWN_SIZE));
    }

    public Job reload(Job job) {
        return repos.jobs().findById(job.id()).orElseThrow();
    }
}
