package io.jobyard.application.service.artifact;

import io.jobyard.application.service.MutableClock;

import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryArchiveIndexRepository;
import io.jobyard.application.memory.InMemoryArtifactStore;
import io.jobyard.application.memory.InMemoryRepositories;
import io.jobyard.application.memory.InMemoryTraceStore;
import io.jobyard.application.memory.InMemoryTransactor;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase.UploadArtifactCommand;
import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.application.service.pipeline.PipelineProgress;
import io.jobyard.application.service.runner.AppendTraceService;
import io.jobyard.application.service.runner.JobFinisher;
import io.jobyard.application.service.runner.JobTokenAuthenticator;
import io.jobyard.application.service.runner.RunnerSettings;
import io.jobyard.application.service.runner.UploadArtifactService;
import io.jobyard.application.service.trace.ReadTraceService;
import io.jobyard.application.service.trace.TraceArchiver;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.JobArtifact;
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
 * The artifact and log services wired over the in-memory ports as production wires them — runner authentication
 * and job endings through the runner module's {@link JobTokenAuthenticator} and {@link JobFinisher}, the trace
 * archiver as the after-completion step — plus a private project with one member per role.
 */
public final class ArtifactWorld {
    public static final Instant NOW = TestData.T0.plus(Duration.ofDays(1));

    public final MutableClock clock = new MutableClock(NOW);
    public final Repositories repos = InMemoryRepositories.create();
    public final TestData data = new TestData(repos);
    public final InMemoryTransactor transactor = (InMemoryTransactor) repos.transactor();
    public final InMemoryArtifactStore store = new InMemoryArtifactStore(clock);
    public final InMemoryTraceStore traces = new InMemoryTraceStore();
    public final InMemoryArchiveIndexRepository index = new InMemoryArchiveIndexRepository(transactor);
    public final ProjectGate gate = new ProjectGate(repos.projects());
    public final PipelineProgress progress =
            new PipelineProgress(repos.jobs(), repos.pipelines(), new ArchivePolicy(Duration.ofDays(90)), clock);
    public final TraceArchiver archiver =
            new TraceArchiver(repos.jobs(), repos.artifacts(), traces, store, repos.transactor(), clock);
    public final JobFinisher finisher =
            new JobFinisher(repos.jobs(), progress, new OptimisticRetry(repos.transactor()), archiver);
    public final JobTokenAuthenticator tokens = new JobTokenAuthenticator(repos.jobs(), repos.projects(), finisher,
            RunnerSettings.of(URI.create("https://ci.example.com")), clock);
    public final JobTokenCheck uploadCheck =
            (job, token) -> tokens.authenticate(job, token, JobTokenAuthenticator.OnExpiry.KEEP_JOB);
    public final JobTokenCheck traceCheck =
            (job, token) -> tokens.authenticate(job, token, JobTokenAuthenticator.OnExpiry.DROP_JOB);
    public final ReadTraceService readTrace =
            new ReadTraceService(gate, repos.jobs(), repos.artifacts(), store, traces, repos.transactor());

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

    public static Actor as(User user) {
        return Actor.UserActor.withFullAccess(user);
    }

    public UploadArtifactService uploads(ArtifactLimits limits) {
        return uploads(limits, index, store);
    }

    public UploadArtifactService uploads(ArtifactLimits limits, ArchiveIndexRepository withIndex, ArtifactStore withStore) {
        return new UploadArtifactService(uploadCheck, repos.jobs(), repos.artifacts(), withIndex, withStore,
                repos.transactor(), clock, limits);
    }

    public ArtifactsService artifacts(DownloadSettings settings) {
        return new ArtifactsService(gate, repos.jobs(), repos.pipelines(), repos.artifacts(), index, store,
                repos.transactor(), clock, settings);
    }

    public ArtifactsService artifacts() {
        return artifacts(DownloadSettings.STREAM);
    }

    public AppendTraceService appends(ArtifactLimits limits) {
        return new AppendTraceService(traceCheck, traces, finisher::finish, clock, limits);
    }

    public ArtifactExpirySweeper sweeper(int batchSize) {
        return new ArtifactExpirySweeper(repos.artifacts(), index, store, repos.jobs(), repos.pipelines(),
                repos.transactor(), clock, batchSize);
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
