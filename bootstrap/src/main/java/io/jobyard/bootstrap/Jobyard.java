package io.jobyard.bootstrap;

import io.jobyard.adapter.crypto.Argon2idPasswordHasher;
import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.JobsApi;
import io.jobyard.adapter.http.hook.HookEndpoints;
import io.jobyard.adapter.http.hook.JsonHookPayloadEncoder;
import io.jobyard.adapter.http.runner.LongPolling;
import io.jobyard.adapter.http.throttle.FailedAuthenticationThrottle;
import io.jobyard.adapter.http.yaml.CiYamlParser;
import io.jobyard.adapter.jdbc.JdbcPersistence;
import io.jobyard.adapter.storage.fs.FilesystemArtifactStore;
import io.jobyard.adapter.storage.fs.FilesystemTraceStore;
import io.jobyard.application.Services;
import io.jobyard.application.service.event.EventOutbox;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.hook.ApplicationSettingsUseCase;
import io.jobyard.application.port.in.hook.HooksUseCase;
import io.jobyard.application.port.in.job.GetJobUseCase;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.application.port.in.live.FollowJobEventsUseCase;
import io.jobyard.application.port.in.live.FollowTraceUseCase;
import io.jobyard.application.port.in.pipeline.CiConfigUseCase;
import io.jobyard.application.port.in.pipeline.CreatePipelineFromConfigUseCase;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.jobyard.application.port.in.runner.AppendTraceUseCase;
import io.jobyard.application.port.in.runner.DownloadDependencyUseCase;
import io.jobyard.application.port.in.runner.RequestJobUseCase;
import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.application.port.in.runner.UpdateJobUseCase;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase;
import io.jobyard.application.port.in.session.PasswordsUseCase;
import io.jobyard.application.port.in.session.SignInUseCase;
import io.jobyard.application.port.in.session.WebSessionUseCase;
import io.jobyard.application.port.in.trace.ReadTraceUseCase;
import io.jobyard.application.port.out.ArtifactIntegrityListener;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.JobEventListener;
import io.jobyard.application.port.out.SecretCipher;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.service.artifact.DownloadSettings;
import io.jobyard.application.service.event.EventTailer;
import io.jobyard.application.service.live.JobEventsHub;
import io.jobyard.application.service.runner.RunnerSettings;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.job.JobStatus;
import io.undertow.server.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Jobyard assembled: adapters from the {@link JobyardBuilder}'s settings, then every service from them
 * ({@link Services}, the one place that builds services), then the use cases a host calls or serves over HTTP, and
 * the {@link BackgroundWork}. Read top to bottom, this is the whole system. A host embeds it from its own
 * {@link DataSource} and a storage choice:
 * <pre>{@code
 * Jobyard jobyard = Jobyard.builder()
 *         .dataSource(hostDataSource)
 *         .filesystemStorage(Path.of("/var/lib/ci"))
 *         .externalUrl(URI.create("https://ci.example.com"))
 *         .build();
 * }</pre>
 */
public final class Jobyard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Jobyard.class);
    /** The key file a build without a key of its own uses, in the filesystem storage directory. */
    static final String KEY_FILE = "encryption.key";
    /** How often held job requests look for jobs another instance queued. */
    private static final Duration LONG_POLL_RECHECK = Duration.ofSeconds(2);
    /** How long a presigned download URL works. */
    private static final Duration PRESIGNED_DOWNLOAD_VALIDITY = Duration.ofMinutes(5);
    /** How long the event tailer waits for a sequence number that an uncommitted transaction holds. */
    private static final Duration EVENT_HOLE_LIFETIME = Duration.ofMinutes(1);

    /** Every inbound port, for hosts that call Jobyard directly. */
    public record UseCases(
            ListJobsUseCase listJobs,
            GetJobUseCase getJob,
            ReadTraceUseCase readTrace,
            JobActionsUseCase jobActions,
            ArtifactsUseCase artifacts,
            AuthenticateUseCase authenticate,
            CreatePipelineUseCase createPipeline,
            UsersUseCase users,
            ProjectsUseCase projects,
            MembersUseCase members,
            RunnersUseCase runners,
            RequestJobUseCase requestJob,
            UpdateJobUseCase updateJob,
            AppendTraceUseCase appendTrace,
            UploadArtifactUseCase uploadArtifact,
            DownloadDependencyUseCase downloadDependency,
            PipelinesUseCase pipelines,
            CiConfigUseCase ciConfig,
            CreatePipelineFromConfigUseCase createPipelineFromConfig,
            AccessTokensUseCase accessTokens,
            HooksUseCase hooks,
            ApplicationSettingsUseCase applicationSettings,
            FollowTraceUseCase followTrace,
            FollowJobEventsUseCase followJobEvents,
            SignInUseCase signIn,
            WebSessionUseCase webSessions,
            PasswordsUseCase passwords) {

        static UseCases of(Services services, FollowJobEventsUseCase followJobEvents) {
            return new UseCases(services.listJobs(), services.getJob(), services.readTrace(), services.jobActions(),
                    services.artifacts(), services.authenticate(), services.createPipeline(), services.users(),
                    services.projects(), services.members(), services.runners(), services.requestJob(),
                    services.updateJob(), services.appendTrace(), services.uploadArtifact(),
                    services.downloadDependency(), services.pipelines(), services.ciConfig(),
                    services.createPipelineFromConfig(), services.accessTokens(), services.hooks(),
                    services.applicationSettings(), services.followTrace(), followJobEvents, services.signIn(),
                    services.webSessions(), services.passwords());
        }
    }

    private final JdbcPersistence persistence;
    private final ArtifactStore artifactStore;
    private final AutoCloseable ownedDataSource;
    private final URI externalUrl;
    private final Duration bodyTimeout;
    private final Duration bodyIdleTimeout;
    private final Clock clock;
    private final Path uploadSpoolDir;
    private final long maxArtifactSize;
    private final long maxCiConfigBytes;
    private final long bodyBuffer;
    /** Null when Jobyard measures nothing. */
    private final JobyardMetrics metrics;
    private final LongPolling longPolling;
    /** Null when the failed-authentication throttle is off. */
    private final FailedAuthenticationThrottle authThrottle;
    private final Services services;
    private final UseCases useCases;
    private final JobyardEvents events;
    private final JobEventsHub jobEvents;
    private final BackgroundWork backgroundWork;

    Jobyard(JobyardBuilder b) {
        clock = b.clock;
        externalUrl = b.externalUrl;
        bodyTimeout = b.bodyTimeout;
        bodyIdleTimeout = b.bodyIdleTimeout;
        ownedDataSource = b.ownedDataSource;
        maxArtifactSize = b.limits.maxArtifactSize();
        maxCiConfigBytes = b.pipelineLimits.maxConfigBytes();
        bodyBuffer = b.bodyBuffer;
        uploadSpoolDir = b.storageDir.resolve("tmp");

        // Adapters. Pipeline and job variables are sealed with the host's key, or the one kept beside the filesystem
        // storage.
        SecretCipher cipher = b.secretCipher != null ? b.secretCipher
                : new AesGcmSecretCipher(EncryptionKeys.loadOrCreate(b.storageDir.resolve(KEY_FILE)));
        persistence = JdbcPersistence.migrateAndOpen(b.dataSource, cipher);
        artifactStore = b.artifactStore != null ? b.artifactStore
                : new FilesystemArtifactStore(b.storageDir.resolve("artifacts"), clock);
        TraceStore traceStore = b.traceStore != null ? b.traceStore
                : b.liveTracesInDatabase ? persistence.traces()
                : new FilesystemTraceStore(b.storageDir.resolve("traces"));
        metrics = b.meterRegistry == null ? null
                : new JobyardMetrics(b.meterRegistry, persistence.jobs()::countPending);
        longPolling = new LongPolling(b.runnerLongPoll, LONG_POLL_RECHECK);
        authThrottle = b.authThrottle == null ? null : new FailedAuthenticationThrottle(b.authThrottle);
        RunnerSettings runnerSettings = RunnerSettings.of(b.externalUrl);
        JsonHookPayloadEncoder hookEncoder = new JsonHookPayloadEncoder(runnerSettings.serverUrl());

        // Services. Every job and pipeline status change becomes an event in the transaction that makes it; once
        // committed, job transitions are told to metrics and long polling, and the events wake the event tailer and
        // the webhook worker.
        Services.Ports ports = new Services.Ports(persistence.projects(), persistence.users(),
                persistence.pipelines(), persistence.jobs(), persistence.artifacts(), persistence.archiveIndex(),
                persistence.runners(), persistence.ciConfigs(), persistence.hooks(), persistence.applicationSettings(),
                persistence.events(), persistence.passwords(), persistence.webSessions(), persistence.transactor(),
                artifactStore, traceStore, persistence.traceArchiveQueue(),
                new CiYamlParser(b.pipelineLimits.maxConfigBytes(), b.pipelineLimits.maxConfigDepth()), hookEncoder,
                b.passwordHasher != null ? b.passwordHasher : new Argon2idPasswordHasher(),
                persistence.openLiveLogSignals(),
                b.webhookSender, b.hostResolver, clock, transitionListener(metrics, longPolling),
                metrics == null ? ArtifactIntegrityListener.NONE : metrics, this::eventsCommitted,
                b.authentication::apply, persistence.accessVersions());
        Services.Settings settings = new Services.Settings(runnerSettings, b.archivePolicy, b.limits,
                b.defaultExpiry, new DownloadSettings(b.redirectDownloads, PRESIGNED_DOWNLOAD_VALIDITY),
                b.pipelineLimits, b.tokenLifetime, b.orphanGrace, b.webhookTimeout, b.webhookRetry, b.liveLog,
                b.sessions, b.changeFeedDelay);
        services = Services.wire(ports, settings);

        // What runs besides requests.
        var eventLog = persistence.events();
        events = new JobyardEvents(() -> new EventTailer(eventLog, EVENT_HOLE_LIFETIME), services.eventPayloads(),
                hookEncoder, b.eventPoll);
        // A project's job events as a stream (issue 16): fed by this instance's event tailer, which starts with the
        // first follower; a listener that falls behind drops events and the hub reads them from the log instead.
        var fed = new java.util.concurrent.atomic.AtomicReference<JobEventsHub>();
        jobEvents = new JobEventsHub(services.projectGate(), eventLog, services.eventPayloads(), hookEncoder,
                services.transactor(), b.liveLog, clock,
                () -> events.subscribe(told -> fed.get().committed(told.event(), told.json()),
                        JobyardEvents.DEFAULT_CAPACITY, JobyardEvents.Overflow.DROP));
        fed.set(jobEvents);
        useCases = UseCases.of(services, jobEvents);
        backgroundWork = new BackgroundWork(services, artifactStore, eventLog, persistence.hooks(), uploadSpoolDir,
                clock, metrics, b.eventRetention, b.eventPoll, b.traceArchiving);
        backgroundWork.removeInterruptedUploads(BackgroundWork.INTERRUPTED_UPLOAD_AGE);
        // Finished jobs' logs are archived whether or not the host runs the sweeps: a log waits at most the poll.
        backgroundWork.startTraceArchiving();
    }

    public static JobyardBuilder builder() {
        return new JobyardBuilder();
    }

    /** Metrics and long polling hear of job transitions; long polling only of jobs becoming pending. */
    private static JobEventListener transitionListener(JobyardMetrics metrics, LongPolling longPolling) {
        JobEventListener wake = longPolling.enabled() ? (from, to) -> {
            if (to == JobStatus.PENDING) {
                longPolling.jobsQueued();
            }
        } : null;
        if (metrics == null) {
            return wake == null ? JobEventListener.NONE : wake;
        }
        if (wake == null) {
            return metrics;
        }
        return (from, to) -> {
            metrics.transitioned(from, to);
            wake.transitioned(from, to);
        };
    }

    private void eventsCommitted(List<StatusEvent> committed) {
        // Called from the outbox, which the constructor builds before these fields are set.
        if (events != null) {
            events.committed(committed);
        }
        if (backgroundWork != null) {
            backgroundWork.wakeWebhooks();
            if (committed.stream().anyMatch(EventOutbox::endsALog)) {
                backgroundWork.wakeTraceArchiving();
            }
        }
    }

    public UseCases useCases() {
        return useCases;
    }

    /**
     * Job and pipeline status changes as they commit, on this instance or any other sharing the database:
     * {@code jobyard.events().subscribe(event -> ...)}. See {@link JobyardEvents} for threads and slow listeners.
     */
    public JobyardEvents events() {
        return events;
    }

    public URI externalUrl() {
        return externalUrl;
    }

    /**
     * GitLab's API under {@code /api/v4}, relative to wherever the host mounts this handler (the standalone server
     * mounts it at the root; a host may mount it under a prefix of its own): every route of the one table, behind the
     * failed-authentication throttle.
     */
    public HttpHandler httpHandler() {
        HttpSettings settings = HttpSettings.of(externalUrl).withBodyTimeouts(bodyTimeout, bodyIdleTimeout)
                .withMaxCiConfigBytes(maxCiConfigBytes);
        if (bodyBuffer > 0) {
            settings = settings.withBodyBufferBytes(bodyBuffer);
        }
        JobsApi.Builder api = JobsApi.builder(settings, clock, useCases.authenticate())
                .accessChecks(services.accessChecks())
                .jobs(new JobsApi.JobUseCases(useCases.listJobs(), useCases.getJob(), useCases.readTrace(),
                        useCases.jobActions(), useCases.artifacts(), useCases.followTrace(),
                        useCases.followJobEvents()))
                .runners(new JobsApi.RunnerUseCases(useCases.runners(), useCases.requestJob(), useCases.updateJob(),
                        useCases.appendTrace(), useCases.uploadArtifact(), useCases.downloadDependency()),
                        new JobsApi.Uploads(uploadSpoolDir, maxArtifactSize), longPolling)
                .pipelines(new JobsApi.PipelineUseCases(useCases.createPipelineFromConfig(), useCases.pipelines(),
                        useCases.ciConfig()))
                .admin(new JobsApi.AdminUseCases(useCases.users(), useCases.projects(), useCases.members(),
                        useCases.accessTokens(), new HookEndpoints(useCases.hooks(), useCases.applicationSettings(),
                        clock), useCases.passwords()))
                .web(new JobsApi.WebUseCases(useCases.signIn(), useCases.webSessions()));
        if (authThrottle != null) {
            api.failedAuthenticationThrottle(authThrottle);
        }
        HttpHandler handler = api.build().handler();
        return metrics == null ? handler : metrics.instrument(handler);
    }

    /** Whether the database and the artifact storage answer right now. */
    public boolean ready() {
        try {
            persistence.users().count();
            artifactStore.size("readiness-probe");
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Readiness check failed: {}", e.getMessage());
            return false;
        }
    }

    /**
     * Creates the first administrator of an empty installation.
     *
     * @return the generated token, once; empty when users exist or the token was preset
     */
    public Optional<String> ensureFirstAdministrator(String presetToken) {
        return services.firstAdministrator().ensure(presetToken);
    }

    /**
     * Runs the sweepers (artifact expiry, stuck jobs, delayed jobs, interrupted uploads, orphaned blobs, old events)
     * every {@code interval} on one daemon thread, and delivers webhooks. Safe on several instances sharing one
     * database and storage: every sweep claims its work optimistically, and the orphan sweep's grace period keeps it
     * off uploads in progress.
     */
    public Jobyard startBackgroundWork(Duration interval) {
        backgroundWork.start(interval);
        return this;
    }

    /**
     * Archives, on the calling thread, every finished job's log whose turn has come (the background threads do it
     * anyway, see {@link JobyardBuilder#traceArchiving}); for tests and tools.
     *
     * @return how many logs it attempted
     */
    public int archiveTracesOnce() {
        return backgroundWork.archiveTracesOnce();
    }

    /** One pass of every sweeper; failures are logged, never thrown, so the next pass still runs. */
    public void sweepOnce() {
        backgroundWork.sweepOnce();
    }

    /**
     * One pass of the webhook worker on the calling thread: leases the deliveries that are due and sends them.
     *
     * @return how many were attempted
     */
    public int deliverWebhooksOnce() {
        return backgroundWork.deliverWebhooksOnce();
    }

    /**
     * Deletes what uploads interrupted by a crash left behind: staged artifact bytes and spooled multipart parts last
     * written {@code olderThan} ago or earlier. {@code ZERO} is only safe when no other process uses this storage
     * (the standalone server on its embedded H2 database, whose file lock guarantees that).
     *
     * @return how many files were removed
     */
    public int removeInterruptedUploads(Duration olderThan) {
        return backgroundWork.removeInterruptedUploads(olderThan);
    }

    /**
     * Deletes artifact blobs that no artifact record names and that were last modified {@code grace} ago or earlier:
     * what a crash between storing an upload (or an archived log) and recording it leaves. The background work does
     * this once per orphan grace period ({@link JobyardBuilder#orphanGrace}); {@code ZERO} is only safe while nothing
     * uploads to this storage, from this process or any other.
     *
     * @return how many blobs were deleted
     */
    public long collectOrphanBlobs(Duration grace) {
        return backgroundWork.collectOrphanBlobs(grace);
    }

    /**
     * Once, on the background thread: deletes the orphaned blobs last modified before {@code modifiedBefore}, without
     * waiting out the grace period. Only for a process that alone uses its database and storage, with
     * {@code modifiedBefore} taken before it opened them: every upload since is its own and newer, and an older blob
     * without a record belongs to a process that died before recording it. The standalone server does this at start
     * on its embedded database, so a crash's litter goes at the restart, while the server already answers.
     *
     * @return how many blobs it deleted, once done
     */
    public Future<Long> collectOrphanBlobsInBackground(Instant modifiedBefore) {
        return backgroundWork.collectOrphanBlobsInBackground(modifiedBefore);
    }

    /** How many runner job requests long polling holds right now. */
    public int heldJobRequests() {
        return longPolling.heldRequests();
    }

    /**
     * Answers the job requests long polling holds (their runners simply ask again), so a graceful shutdown of the
     * HTTP server need not wait out the polling duration. Call before stopping the server.
     */
    public void releaseHeldRequests() {
        longPolling.close();
        // Open event streams end too (clients reconnect elsewhere from their last id) rather than hold the shutdown.
        jobEvents.close();
        services.liveLogHub().close();
    }

    @Override
    public synchronized void close() {
        longPolling.close();
        jobEvents.close();
        events.close();
        backgroundWork.close();
        services.liveLogHub().close();
        if (ownedDataSource != null) {
            try {
                ownedDataSource.close();
            } catch (Exception e) {
                LOG.warn("Closing the connection pool failed", e);
            }
        }
    }
}
