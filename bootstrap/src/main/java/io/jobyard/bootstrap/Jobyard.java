package io.jobyard.bootstrap;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.hook.HookEndpoints;
import io.jobyard.adapter.http.hook.JsonHookPayloadEncoder;
import io.jobyard.adapter.http.hook.SocketWebhookSender;
import io.jobyard.application.port.in.hook.ApplicationSettingsUseCase;
import io.jobyard.application.port.in.hook.HooksUseCase;
import io.jobyard.application.port.out.EventLog;
import io.jobyard.application.port.out.HookRepository;
import io.jobyard.application.port.out.HostResolver;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.WebhookSender;
import io.jobyard.application.service.event.EventOutbox;
import io.jobyard.application.service.event.EventPayloads;
import io.jobyard.application.service.event.EventTailer;
import io.jobyard.application.service.hook.ApplicationSettingsService;
import io.jobyard.application.service.hook.HookDeliveryWorker;
import io.jobyard.application.service.hook.HookDispatcher;
import io.jobyard.application.service.hook.HooksService;
import io.jobyard.application.service.hook.UrlGuard;
import io.jobyard.domain.event.StatusEvent;
import java.util.List;
import java.util.concurrent.ExecutorService;
import io.jobyard.adapter.http.JobsApi;
import io.jobyard.adapter.http.runner.LongPolling;
import io.jobyard.adapter.http.throttle.FailedAuthenticationThrottle;
import io.jobyard.adapter.http.throttle.ThrottleSettings;
import io.jobyard.adapter.http.yaml.CiYamlParser;
import io.jobyard.adapter.crypto.Argon2idPasswordHasher;
import io.jobyard.adapter.jdbc.JdbcPersistence;
import io.jobyard.adapter.storage.fs.FilesystemArtifactStore;
import io.jobyard.adapter.storage.fs.FilesystemTraceStore;
import io.jobyard.application.port.in.AccessTokensUseCase;
import io.jobyard.application.port.in.AdministerUseCase;
import io.jobyard.application.port.in.AppendTraceUseCase;
import io.jobyard.application.port.in.ArtifactsUseCase;
import io.jobyard.application.port.in.AuthenticateUseCase;
import io.jobyard.application.port.in.CiConfigUseCase;
import io.jobyard.application.port.in.CreatePipelineFromConfigUseCase;
import io.jobyard.application.port.in.CreatePipelineUseCase;
import io.jobyard.application.port.in.DownloadDependencyUseCase;
import io.jobyard.application.port.in.GetJobUseCase;
import io.jobyard.application.port.in.JobActionsUseCase;
import io.jobyard.application.port.in.ListJobsUseCase;
import io.jobyard.application.port.in.PipelinesUseCase;
import io.jobyard.application.port.in.ReadTraceUseCase;
import io.jobyard.application.port.in.RequestJobUseCase;
import io.jobyard.application.port.in.RunnersUseCase;
import io.jobyard.application.port.in.UpdateJobUseCase;
import io.jobyard.application.port.in.UploadArtifactUseCase;
import io.jobyard.application.port.in.UserLifecycleUseCase;
import io.jobyard.application.port.out.ArtifactIntegrityListener;
import io.jobyard.application.port.in.live.FollowTraceUseCase;
import io.jobyard.application.port.in.session.PasswordsUseCase;
import io.jobyard.application.port.in.session.SignInUseCase;
import io.jobyard.application.port.in.session.WebSessionUseCase;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.JobEventListener;
import io.jobyard.application.port.out.SecretCipher;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.service.AccessTokensService;
import io.jobyard.application.port.out.session.PasswordHasher;
import io.jobyard.application.service.AdministerService;
import io.jobyard.application.service.AuthenticateService;
import io.jobyard.application.service.CiConfigService;
import io.jobyard.application.service.CreatePipelineFromConfigService;
import io.jobyard.application.service.CreatePipelineService;
import io.jobyard.application.service.FirstAdministrator;
import io.jobyard.application.service.GetJobService;
import io.jobyard.application.service.JobActionsService;
import io.jobyard.application.service.JobViewAssembler;
import io.jobyard.application.service.ListJobsService;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.PipelineLimits;
import io.jobyard.application.service.PipelineProgress;
import io.jobyard.application.service.PipelinesService;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.application.service.UserLifecycleService;
import io.jobyard.application.service.artifact.AppendTraceService;
import io.jobyard.application.service.artifact.ArtifactExpirySweeper;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.application.service.artifact.ArtifactsService;
import io.jobyard.application.service.artifact.DownloadSettings;
import io.jobyard.application.service.artifact.JobCompletionListener;
import io.jobyard.application.service.artifact.OrphanBlobSweeper;
import io.jobyard.application.service.artifact.ReadTraceService;
import io.jobyard.application.service.artifact.TraceArchiver;
import io.jobyard.application.service.artifact.UploadArtifactService;
import io.jobyard.application.service.live.LiveLogHub;
import io.jobyard.application.service.live.LiveLogSettings;
import io.jobyard.application.service.live.StoredLiveJobStates;
import io.jobyard.application.service.session.PasswordService;
import io.jobyard.application.service.session.SignInService;
import io.jobyard.application.service.session.WebSessionService;
import io.jobyard.application.service.runner.DelayedJobScheduler;
import io.jobyard.application.service.runner.DownloadDependencyService;
import io.jobyard.application.service.runner.JobFinisher;
import io.jobyard.application.service.runner.JobTokenAuthenticator;
import io.jobyard.application.service.runner.RequestJobService;
import io.jobyard.application.service.runner.RunnerSettings;
import io.jobyard.application.service.runner.RunnersService;
import io.jobyard.application.service.runner.StuckJobSweeper;
import io.jobyard.application.service.runner.UpdateJobService;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.user.TokenLifetime;
import io.jobyard.domain.session.SessionPolicy;
import io.jobyard.domain.user.SignInLockout;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Jobyard assembled: adapters from settings, then services, then the use cases a host calls or serves over HTTP.
 * Read top to bottom, this is the whole system. A host embeds it from its own {@link DataSource} and a storage choice:
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
    /** No upload stays silent this long: older staged or spooled files belong to uploads that died. */
    private static final Duration INTERRUPTED_UPLOAD_AGE = Duration.ofHours(1);

    /** Every inbound port, for hosts that call Jobyard directly. */
    public record UseCases(
            ListJobsUseCase listJobs,
            GetJobUseCase getJob,
            ReadTraceUseCase readTrace,
            JobActionsUseCase jobActions,
            ArtifactsUseCase artifacts,
            AuthenticateUseCase authenticate,
            CreatePipelineUseCase createPipeline,
            AdministerUseCase administer,
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
            UserLifecycleUseCase userLifecycle,
            HooksUseCase hooks,
            ApplicationSettingsUseCase applicationSettings,
            FollowTraceUseCase followTrace,
            SignInUseCase signIn,
            WebSessionUseCase webSessions,
            PasswordsUseCase passwords) {
    }

    private final UseCases useCases;
    private final JdbcPersistence persistence;
    private final ArtifactStore artifactStore;
    private final Runnable[] sweeps;
    private final AutoCloseable ownedDataSource;
    private final URI externalUrl;
    private final Duration bodyTimeout;
    private final Duration bodyIdleTimeout;
    private final Clock clock;
    private final Path uploadSpoolDir;
    private final ArtifactLimits limits;
    private final PipelineLimits pipelineLimits;
    private final FirstAdministrator firstAdministrator;
    private final JobyardMetrics metrics;
    private final LongPolling longPolling;
    private final OrphanBlobSweeper orphanSweeper;
    /** Null when the failed-authentication throttle is off. */
    private final FailedAuthenticationThrottle authThrottle;
    private final HooksUseCase hooksUseCase;
    private final LiveLogHub liveLog;
    private ScheduledExecutorService background;
    private boolean sweepsScheduled;
    private final JobyardEvents events;
    private final HookDeliveryWorker webhooks;
    private final Duration webhookPoll;
    private final Object webhookWake = new Object();
    private boolean webhooksWoken;
    private Thread webhookThread;
    private ExecutorService webhookSenders;

    /** How often held job requests look for jobs another instance queued. */
    private static final Duration LONG_POLL_RECHECK = Duration.ofSeconds(2);

    private static JobEventListener transitionListener(JobyardMetrics metrics, LongPolling longPolling) {
        JobEventListener wake = longPolling.enabled() ? (from, to) -> {
            if (to == JobStatus.PENDING) {
                longPolling.jobsQueued();
            }
        } : null;
        if (metrics == null) {
            return wake;
        }
        if (wake == null) {
            return metrics;
        }
        return (from, to) -> {
            metrics.transitioned(from, to);
            wake.transitioned(from, to);
        };
    }

    private Jobyard(Builder b) {
        Clock clock = b.clock;
        // Pipeline and job variables are sealed with the host's key, or the one kept beside the filesystem storage.
        SecretCipher cipher = b.secretCipher != null ? b.secretCipher
                : new AesGcmSecretCipher(EncryptionKeys.loadOrCreate(b.storageDir.resolve(KEY_FILE)));
        persistence = JdbcPersistence.migrateAndOpen(b.dataSource, cipher);
        artifactStore = b.artifactStore != null ? b.artifactStore
                : new FilesystemArtifactStore(b.storageDir.resolve("artifacts"), clock);
        TraceStore traceStore = b.traceStore != null ? b.traceStore
                : b.liveTracesInDatabase ? persistence.traces()
                : new FilesystemTraceStore(b.storageDir.resolve("traces"));
        externalUrl = b.externalUrl;
        bodyTimeout = b.bodyTimeout;
        bodyIdleTimeout = b.bodyIdleTimeout;
        this.clock = clock;
        uploadSpoolDir = b.storageDir.resolve("tmp");
        try {
            // Multipart uploads are spooled here before they stream into the artifact store.
            Files.createDirectories(uploadSpoolDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload spool directory " + uploadSpoolDir, e);
        }
        limits = b.limits;
        pipelineLimits = b.pipelineLimits;

        var projects = persistence.projects();
        var users = persistence.users();
        PipelineRepository pipelines;
        metrics = b.meterRegistry == null ? null
                : new JobyardMetrics(b.meterRegistry, persistence.jobs()::countPending);
        longPolling = new LongPolling(b.runnerLongPoll, LONG_POLL_RECHECK);
        // Every job and pipeline status change becomes an event in the transaction that makes it (issue 19's outbox),
        // through these three wrappers, which every service below must share. Once committed, job transitions are
        // told to metrics and long polling, and the events wake the event tailer and the webhook worker.
        JobEventListener listener = transitionListener(metrics, longPolling);
        EventOutbox outbox = new EventOutbox(persistence.jobs(), persistence.pipelines(), persistence.transactor(),
                persistence.events(), persistence.hooks(), clock, listener, this::eventsCommitted);
        var jobs = outbox.jobs();
        pipelines = outbox.pipelines();
        var artifacts = persistence.artifacts();
        var archiveIndex = persistence.archiveIndex();
        var runners = persistence.runners();
        var transactor = outbox.transactor();
        var retry = new OptimisticRetry(transactor);
        var gate = new ProjectGate(projects);

        var progress = new PipelineProgress(jobs, pipelines, b.archivePolicy, clock);
        var views = new JobViewAssembler(pipelines, users, runners, artifacts, b.archivePolicy, clock);
        var traceArchiver = new TraceArchiver(jobs, artifacts, traceStore, artifactStore, transactor, clock);
        var readTrace = new ReadTraceService(gate, jobs, artifacts, artifactStore, traceStore, transactor);
        // Live log follows: appends and job endings wake the followers on this instance and, through the database's
        // notifications (PostgreSQL), on the others; without notifications (H2) followers poll the log lengths.
        liveLog = new LiveLogHub(readTrace, readTrace::logOf, traceStore,
                new StoredLiveJobStates(jobs, artifacts, traceStore, transactor, clock, b.liveLog.archiveWait()),
                persistence.openLiveLogSignals(), b.liveLog, clock);
        JobCompletionListener afterCompletion = job -> {
            try {
                traceArchiver.completed(job);
            } finally {
                liveLog.jobChanged(job.id());
            }
        };
        var finisher = new JobFinisher(jobs, progress, retry, afterCompletion);
        var runnerSettings = RunnerSettings.of(b.externalUrl);
        var jobTokens = new JobTokenAuthenticator(jobs, projects, finisher, runnerSettings, clock);
        var authenticate = b.authentication.apply(new AuthenticateService(users, jobs, projects, clock));

        var administer = new AdministerService(users, projects, transactor, clock, b.tokenLifetime);
        // Sign-in for the web pages: passwords as Argon2id hashes, sessions in the database (any instance serves them).
        PasswordHasher hasher = b.passwordHasher != null ? b.passwordHasher : new Argon2idPasswordHasher();
        var webSessions = new WebSessionService(persistence.webSessions(), users, transactor, b.sessions, clock);
        var signIn = new SignInService(users, persistence.passwords(), hasher, persistence.webSessions(),
                authenticate, b.sessions, SignInLockout.GITLAB, clock);
        var passwords = new PasswordService(administer, users, persistence.passwords(), persistence.webSessions(),
                hasher, transactor, clock);

        var createPipeline = new CreatePipelineService(projects, pipelines, jobs, progress, retry, clock);
        var ciConfigs = persistence.ciConfigs();
        var ciConfigParser = new CiYamlParser(pipelineLimits.maxConfigBytes(), pipelineLimits.maxConfigDepth());
        var payloads = new EventPayloads(jobs, pipelines, projects, users, runners, artifacts, transactor, clock);
        var encoder = new JsonHookPayloadEncoder(b.externalUrl.toString().replaceAll("/+$", ""));
        var dispatcher = new HookDispatcher(persistence.hooks(), persistence.applicationSettings(),
                new UrlGuard(b.hostResolver), b.webhookSender, b.externalUrl.toString().replaceAll("/+$", ""),
                b.webhookTimeout, clock);
        hooksUseCase = new HooksService(gate, persistence.hooks(), persistence.applicationSettings(),
                new UrlGuard(b.hostResolver), jobs, pipelines, payloads, encoder, dispatcher, transactor, clock);
        webhooks = new HookDeliveryWorker(persistence.hooks(), payloads, encoder, dispatcher, clock,
                HookDeliveryWorker.newOwner(), b.webhookRetry, Duration.ofHours(1), 100);
        webhookPoll = b.eventPoll;
        var eventLog = persistence.events();
        events = new JobyardEvents(() -> new EventTailer(eventLog, Duration.ofMinutes(1)), payloads, encoder,
                b.eventPoll);
        Duration retention = b.eventRetention;
        var hookStore = persistence.hooks();
        useCases = new UseCases(
                new ListJobsService(projects, jobs, pipelines, views, transactor),
                new GetJobService(projects, jobs, views, transactor),
                readTrace,
                new JobActionsService(projects, jobs, artifacts, archiveIndex, runners, artifactStore, traceStore,
                        progress, views,
                        retry, b.archivePolicy, clock),
                new ArtifactsService(gate, jobs, pipelines, artifacts, archiveIndex, artifactStore, transactor, clock,
                        new DownloadSettings(b.redirectDownloads, Duration.ofMinutes(5)),
                        metrics == null ? ArtifactIntegrityListener.NONE : metrics),
                authenticate,
                createPipeline,
                administer,
                new RunnersService(runners, projects, clock),
                new RequestJobService(runners, jobs, pipelines, projects, users, artifacts, progress, retry, finisher,
                        runnerSettings, clock),
                new UpdateJobService(jobTokens, jobs, finisher, retry, runnerSettings, clock),
                new AppendTraceService((id, token) -> jobTokens.authenticate(id, token,
                        JobTokenAuthenticator.OnExpiry.DROP_JOB), traceStore, finisher::finish, clock, b.limits,
                        liveLog),
                new UploadArtifactService((id, token) -> jobTokens.authenticate(id, token,
                        JobTokenAuthenticator.OnExpiry.KEEP_JOB), jobs, artifacts, archiveIndex, artifactStore,
                        transactor, clock, b.limits, b.defaultExpiry),
                new DownloadDependencyService(authenticate, jobs, projects, artifacts, artifactStore),
                new PipelinesService(projects, pipelines, jobs, users, runners, progress, retry, clock),
                new CiConfigService(projects, ciConfigs, ciConfigParser, clock, pipelineLimits),
                new CreatePipelineFromConfigService(projects, ciConfigs, ciConfigParser, createPipeline,
                        pipelineLimits),
                new AccessTokensService(users, transactor, clock, b.tokenLifetime),
                new UserLifecycleService(users, projects, transactor, clock),
                hooksUseCase, new ApplicationSettingsService(persistence.applicationSettings()),
                liveLog,
                signIn,
                webSessions,
                passwords);
        authThrottle = b.authThrottle == null ? null : new FailedAuthenticationThrottle(b.authThrottle);

        var expirySweeper = new ArtifactExpirySweeper(artifacts, archiveIndex, artifactStore, jobs, pipelines,
                transactor, clock, 500);
        var stuckJobs = new StuckJobSweeper(jobs, finisher, runnerSettings, clock);
        var delayedJobs = new DelayedJobScheduler(jobs, progress, retry, clock);
        orphanSweeper = new OrphanBlobSweeper(artifactStore, artifacts, clock, b.orphanGrace, 500);
        // Litter younger than an hour at start may belong to another instance sharing the storage; the sweep gets it
        // once no upload can still be writing it.
        sweeps = new Runnable[] {() -> expirySweeper.sweep(100), stuckJobs::sweep, delayedJobs::enqueueDue,
                () -> removeInterruptedUploads(INTERRUPTED_UPLOAD_AGE),
                () -> orphanSweeper.sweepIfDue().ifPresent(this::reportOrphans),
                () -> pruneEvents(eventLog, hookStore, retention), webSessions::sweepExpired};
        ownedDataSource = b.ownedDataSource;
        firstAdministrator = new FirstAdministrator(users, transactor, clock);
        removeInterruptedUploads(INTERRUPTED_UPLOAD_AGE);
    }

    /**
     * Deletes what uploads interrupted by a crash left behind: staged artifact bytes and spooled multipart parts last
     * written {@code olderThan} ago or earlier. {@code ZERO} is only safe when no other process uses this storage
     * (the standalone server on its embedded H2 database, whose file lock guarantees that).
     *
     * @return how many files were removed
     */
    public int removeInterruptedUploads(Duration olderThan) {
        int staged = artifactStore.cleanupStaging(olderThan);
        int spooled = removeSpooledParts(olderThan);
        if (staged + spooled > 0) {
            LOG.info("Removed {} staged and {} spooled files of interrupted uploads", staged, spooled);
        }
        return staged + spooled;
    }

    /**
     * Deletes artifact blobs that no artifact record names and that were last modified {@code grace} ago or earlier:
     * what a crash between storing an upload (or an archived log) and recording it leaves. The background work does
     * this once per orphan grace period ({@link Builder#orphanGrace}); {@code ZERO} is only safe while nothing
     * uploads to this storage, from this process or any other.
     *
     * @return how many blobs were deleted
     */
    public long collectOrphanBlobs(Duration grace) {
        OrphanBlobSweeper.SweepResult result = orphanSweeper.sweep(grace);
        reportOrphans(result);
        return result.deleted();
    }

    private void reportOrphans(OrphanBlobSweeper.SweepResult result) {
        if (result.deleted() > 0) {
            LOG.info("Deleted {} orphaned artifact blobs (no artifact record named them; {} old enough looked at)",
                    result.deleted(), result.examined());
        }
        if (metrics != null) {
            metrics.orphansDeleted(result.deleted());
        }
    }

    /** Undertow names the multipart file parts it spools {@code undertow<random>upload}; nothing else lives here. */
    private int removeSpooledParts(Duration olderThan) {
        Instant cutoff = clock.instant().minus(olderThan);
        int removed = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(uploadSpoolDir, "undertow*upload")) {
            for (Path part : parts) {
                try {
                    if (!Files.getLastModifiedTime(part).toInstant().isAfter(cutoff) && Files.deleteIfExists(part)) {
                        removed++;
                    }
                } catch (NoSuchFileException finishedMeanwhile) {
                    // its request ended and deleted it
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning the upload spool directory " + uploadSpoolDir + " failed", e);
        }
        return removed;
    }

    public static Builder builder() {
        return new Builder();
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

    private void eventsCommitted(List<StatusEvent> committed) {
        // Called from the outbox, which the constructor builds before these fields are set.
        if (events != null) {
            events.committed(committed);
        }
        synchronized (webhookWake) {
            webhooksWoken = true;
            webhookWake.notifyAll();
        }
    }

    /** Events, delivered deliveries and delivery logs older than the retention window go. */
    private static void pruneEvents(EventLog log, HookRepository hooks, Duration retention) {
        Instant before = Instant.now().minus(retention);
        while (log.pruneBefore(before, 1000) == 1000) {
            Thread.onSpinWait();
        }
        while (hooks.pruneDelivered(before, 1000) == 1000) {
            Thread.onSpinWait();
        }
        while (hooks.pruneLogs(before, 1000) == 1000) {
            Thread.onSpinWait();
        }
    }

    /**
     * One pass of the webhook worker on the calling thread: leases the deliveries that are due and sends them.
     *
     * @return how many were attempted
     */
    public int deliverWebhooksOnce() {
        return webhooks.deliverDue(null);
    }

    private synchronized void startWebhooks() {
        if (webhookThread != null) {
            return;
        }
        webhookSenders = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "jobyard-webhook-sender");
            thread.setDaemon(true);
            return thread;
        });
        ExecutorService senders = webhookSenders;
        webhookThread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                int attempted = 0;
                try {
                    attempted = webhooks.deliverDue(senders);
                } catch (RuntimeException e) {
                    LOG.warn("Webhook delivery pass failed; it runs again", e);
                }
                if (attempted > 0) {
                    continue;
                }
                synchronized (webhookWake) {
                    try {
                        if (!webhooksWoken) {
                            webhookWake.wait(Math.max(1, webhookPoll.toMillis()));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    webhooksWoken = false;
                }
            }
        }, "jobyard-webhooks");
        webhookThread.setDaemon(true);
        webhookThread.start();
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
                .withMaxCiConfigBytes(pipelineLimits.maxConfigBytes());
        JobsApi.Builder api = JobsApi.builder(settings, clock, useCases.authenticate())
                .jobs(new JobsApi.JobUseCases(useCases.listJobs(), useCases.getJob(), useCases.readTrace(),
                        useCases.jobActions(), useCases.artifacts()))
                .runners(new JobsApi.RunnerUseCases(useCases.runners(), useCases.requestJob(), useCases.updateJob(),
                        useCases.appendTrace(), useCases.uploadArtifact(), useCases.downloadDependency()),
                        new JobsApi.Uploads(uploadSpoolDir, limits.maxArtifactSize()), longPolling)
                .pipelines(new JobsApi.PipelineUseCases(useCases.createPipelineFromConfig(), useCases.pipelines(),
                        useCases.ciConfig()))
                .admin(new JobsApi.AdminUseCases(useCases.administer(), useCases.accessTokens(),
                        useCases.userLifecycle(), new HookEndpoints(hooksUseCase, useCases.applicationSettings(), clock),
                        useCases.passwords()))
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
        return firstAdministrator.ensure(presetToken);
    }

    /**
     * Runs the sweepers (artifact expiry, stuck jobs, delayed jobs, interrupted uploads, orphaned blobs) every
     * {@code interval} on one daemon thread. Safe on several instances sharing one database and storage: every sweep
     * claims its work optimistically, and the orphan sweep's grace period keeps it off uploads in progress.
     */
    public synchronized Jobyard startBackgroundWork(Duration interval) {
        if (sweepsScheduled) {
            return this;
        }
        long millis = Math.max(1, interval.toMillis());
        background().scheduleWithFixedDelay(this::sweepOnce, millis, millis, TimeUnit.MILLISECONDS);
        sweepsScheduled = true;
        startWebhooks();
        return this;
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
    public synchronized Future<Long> collectOrphanBlobsInBackground(Instant modifiedBefore) {
        Objects.requireNonNull(modifiedBefore, "modifiedBefore");
        return background().submit(() -> {
            OrphanBlobSweeper.SweepResult result = orphanSweeper.sweepModifiedBefore(modifiedBefore);
            reportOrphans(result);
            return result.deleted();
        });
    }

    private ScheduledExecutorService background() {
        if (background == null) {
            background = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "jobyard-sweeper");
                thread.setDaemon(true);
                return thread;
            });
        }
        return background;
    }

    /** One pass of every sweeper; failures are logged, never thrown, so the next pass still runs. */
    public void sweepOnce() {
        for (Runnable sweep : sweeps) {
            try {
                sweep.run();
            } catch (RuntimeException e) {
                LOG.warn("Background sweep failed; it runs again on the next pass", e);
            }
        }
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
    }

    @Override
    public synchronized void close() {
        longPolling.close();
        events.close();
        if (webhookThread != null) {
            webhookThread.interrupt();
            webhookSenders.shutdownNow();
            webhookThread = null;
        }
        liveLog.close();
        if (background != null) {
            background.shutdownNow();
            background = null;
            sweepsScheduled = false;
        }
        if (ownedDataSource != null) {
            try {
                ownedDataSource.close();
            } catch (Exception e) {
                LOG.warn("Closing the connection pool failed", e);
            }
        }
    }

    /** How to build Jobyard; every setting but the database has a default. */
    public static final class Builder {
        private DataSource dataSource;
        private AutoCloseable ownedDataSource;
        private Path storageDir = Path.of("data");
        private ArtifactStore artifactStore;
        private TraceStore traceStore;
        private boolean liveTracesInDatabase;
        private Function<AuthenticateUseCase, AuthenticateUseCase> authentication = Function.identity();
        private Clock clock = Clock.systemUTC();
        private URI externalUrl = URI.create("http://localhost:8080");
        private ArtifactLimits limits = ArtifactLimits.DEFAULTS;
        private Duration defaultExpiry = Duration.ofDays(30);
        private boolean redirectDownloads;
        private ArchivePolicy archivePolicy = ArchivePolicy.NEVER;
        private MeterRegistry meterRegistry;
        private Duration runnerLongPoll = Duration.ZERO;
        private Duration orphanGrace = OrphanBlobSweeper.DEFAULT_GRACE;
        private Duration bodyTimeout = HttpSettings.DEFAULT_BODY_TIMEOUT;
        private Duration bodyIdleTimeout = HttpSettings.DEFAULT_BODY_IDLE_TIMEOUT;
        private TokenLifetime tokenLifetime = TokenLifetime.DEFAULT;
        private ThrottleSettings authThrottle = ThrottleSettings.DEFAULTS;
        private PipelineLimits pipelineLimits = PipelineLimits.DEFAULTS;
        private SecretCipher secretCipher;
        private Duration eventRetention = Duration.ofDays(7);
        private Duration eventPoll = Duration.ofMillis(500);
        private Duration webhookTimeout = Duration.ofSeconds(10);
        private Duration webhookRetry = Duration.ofSeconds(10);
        private HostResolver hostResolver = HostResolver.SYSTEM;
        private WebhookSender webhookSender = new SocketWebhookSender();
        private LiveLogSettings liveLog = LiveLogSettings.DEFAULTS;
        private SessionPolicy sessions = SessionPolicy.DEFAULTS;
        private PasswordHasher passwordHasher;

        private Builder() {
        }

        /**
         * The longest lifetime of a new personal access token ({@link TokenLifetime#DEFAULT}: GitLab's 365 days, the
         * default when none is asked for); {@link TokenLifetime#UNLIMITED} lets tokens live forever.
         */
        public Builder tokenLifetime(TokenLifetime value) {
            tokenLifetime = Objects.requireNonNull(value, "tokenLifetime");
            return this;
        }

        /**
         * The failed-authentication throttle of the HTTP API (on by default with GitLab's limits: ten different unknown
         * tokens from one client address within a minute ban the address for an hour); null switches it off, for a
         * host that throttles in front of Jobyard itself.
         */
        public Builder authenticationThrottle(ThrottleSettings value) {
            authThrottle = value;
            return this;
        }

        /**
         * How live log follows behave: heartbeat interval (15 s), how often followed jobs are polled (500 ms: finds
         * other instances' appends where the database has no notifications), how many undelivered bytes a follower may
         * hold before it is cut off (4 MiB), and the size of the pool that serves every follower (2 threads).
         */
        public Builder liveLog(LiveLogSettings value) {
            liveLog = Objects.requireNonNull(value, "liveLog");
            return this;
        }

        /** When web sessions end: idle timeout (default 7 days, GitLab's session duration) and maximum age (30 days). */
        public Builder sessions(SessionPolicy value) {
            sessions = Objects.requireNonNull(value, "sessions");
            return this;
        }

        /** How passwords are hashed; default Argon2id with OWASP's parameters (19 MiB, 2 passes). */
        public Builder passwordHasher(PasswordHasher value) {
            passwordHasher = Objects.requireNonNull(value, "passwordHasher");
            return this;
        }

        /** The host's database (H2 or PostgreSQL). Jobyard migrates its schema; the host keeps the pool. */
        public Builder dataSource(DataSource value) {
            dataSource = Objects.requireNonNull(value, "dataSource");
            return this;
        }

        /** A database whose pool Jobyard owns and closes. */
        public Builder ownedDataSource(DataSource value, AutoCloseable pool) {
            dataSource = Objects.requireNonNull(value, "dataSource");
            ownedDataSource = pool;
            return this;
        }

        /** Artifacts and live logs on the local filesystem under {@code directory}. */
        public Builder filesystemStorage(Path directory) {
            storageDir = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** A storage of the host's own (object storage, say); live logs then live in the database. */
        public Builder artifactStore(ArtifactStore store) {
            artifactStore = Objects.requireNonNull(store, "store");
            liveTracesInDatabase = true;
            return this;
        }

        public Builder traceStore(TraceStore store) {
            traceStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The host's own authentication: map its identities onto Jobyard users and roles. */
        public Builder authenticator(AuthenticateUseCase value) {
            Objects.requireNonNull(value, "authenticator");
            authentication = builtIn -> value;
            return this;
        }

        /**
         * The host's own authentication built around Jobyard's (personal access tokens and CI job tokens), e.g. to try
         * the host's sessions first and fall back to Jobyard's tokens.
         */
        public Builder authentication(Function<AuthenticateUseCase, AuthenticateUseCase> aroundBuiltIn) {
            authentication = Objects.requireNonNull(aroundBuiltIn, "aroundBuiltIn");
            return this;
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder externalUrl(URI value) {
            externalUrl = Objects.requireNonNull(value, "externalUrl");
            return this;
        }

        public Builder limits(ArtifactLimits value) {
            limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** Expiry of artifacts uploaded without {@code expire_in}; null for never. */
        public Builder defaultExpiry(Duration value) {
            defaultExpiry = value;
            return this;
        }

        public Builder redirectDownloads(boolean value) {
            redirectDownloads = value;
            return this;
        }

        public Builder archivePolicy(ArchivePolicy value) {
            archivePolicy = Objects.requireNonNull(value, "archivePolicy");
            return this;
        }

        /**
         * Holds a runner's job request for up to {@code value} while nothing is queued for it, as GitLab Workhorse's
         * long polling does (GitLab's default is 50 s); zero, the default, answers 204 at once.
         */
        public Builder runnerLongPolling(Duration value) {
            runnerLongPoll = Objects.requireNonNull(value, "runnerLongPolling");
            return this;
        }

        /**
         * How old a blob no artifact record names must be before the background work deletes it as an orphan
         * (default one hour). It must exceed the longest time from the start of an upload's publish (a multipart
         * upload of the largest artifact to object storage) to the commit of its record, plus the clock skew between
         * object storage and this host: a blob younger than that may belong to an upload still in progress.
         */
        public Builder orphanGrace(Duration value) {
            Objects.requireNonNull(value, "orphanGrace");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("the orphan grace period must be positive");
            }
            orphanGrace = value;
            return this;
        }

        /**
         * How long a request body may take. {@code total}: a small body (forms, JSON; everything but log appends and
         * artifact uploads) is read on an IO thread before a worker is involved and must arrive whole within it.
         * {@code idle}: a streamed body (log append, artifact upload) may pause this long between bytes while a worker
         * reads it. Past either the request is answered 408 and its connection closed. Both default to 30 s.
         */
        public Builder bodyTimeouts(Duration total, Duration idle) {
            HttpSettings.of(URI.create("http://localhost")).withBodyTimeouts(total, idle);
            bodyTimeout = total;
            bodyIdleTimeout = idle;
            return this;
        }

        /**
         * The key (32 bytes) that seals pipeline and job variables in the database (AES-256-GCM). Without one, Jobyard
         * uses {@code encryption.key} in the filesystem storage directory, generating it on the first start. Keep it
         * with the database's backups: the variables cannot be read without it. Instances sharing a database need the
         * same key.
         */
        public Builder encryptionKey(byte[] key) {
            secretCipher = new AesGcmSecretCipher(Objects.requireNonNull(key, "key"));
            return this;
        }

        /** A cipher of the host's own (a key management service, say) instead of {@link #encryptionKey}. */
        public Builder secretCipher(SecretCipher value) {
            secretCipher = Objects.requireNonNull(value, "secretCipher");
            return this;
        }

        /**
         * What one pipeline creation may make ({@link PipelineLimits#DEFAULTS}: GitLab.com's 2,000 jobs, GitLab's
         * 2 MiB and 100 levels of configuration): more is refused with GitLab's errors before the work is done.
         */
        public Builder pipelineLimits(PipelineLimits value) {
            pipelineLimits = Objects.requireNonNull(value, "pipelineLimits");
            return this;
        }

        /**
         * Records Jobyard's metrics on the host's registry: requests, latencies and bytes served per route template
         * ({@code http.server.requests}, {@code jobyard.http.served}), job transitions per status entered
         * ({@code jobyard.job.transitions}), pending jobs ({@code jobyard.jobs.pending}), orphaned blobs deleted
         * ({@code jobyard.storage.orphans.deleted}) and archive entries that failed their CRC while served
         * ({@code jobyard.artifacts.integrity.failures}). Without one, Jobyard measures nothing.
         */
        public Builder meterRegistry(MeterRegistry value) {
            meterRegistry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        /**
         * How long job and pipeline events, delivered webhook deliveries and webhook logs are kept (default 7 days):
         * the background work deletes older ones. Issue 16's event stream resumes within this window.
         */
        public Builder eventRetention(Duration value) {
            eventRetention = positive(value, "eventRetention");
            return this;
        }

        /**
         * How often each instance looks for events and webhook deliveries committed by other instances (default
         * 0.5 s); its own commits are seen at once.
         */
        public Builder eventPollInterval(Duration value) {
            eventPoll = positive(value, "eventPollInterval");
            return this;
        }

        /** How long one webhook attempt may take (GitLab's {@code webhook_timeout}, default 10 s). */
        public Builder webhookTimeout(Duration value) {
            webhookTimeout = positive(value, "webhookTimeout");
            return this;
        }

        /** The delay before a failed webhook delivery is tried again (default 10 s), doubling up to an hour. */
        public Builder webhookRetryDelay(Duration value) {
            webhookRetry = positive(value, "webhookRetryDelay");
            return this;
        }

        /** How webhook hosts are resolved (default: the system resolver). */
        public Builder hostResolver(HostResolver value) {
            hostResolver = Objects.requireNonNull(value, "hostResolver");
            return this;
        }

        /** How webhook requests are sent (default: {@link SocketWebhookSender}); for tests. */
        public Builder webhookSender(WebhookSender value) {
            webhookSender = Objects.requireNonNull(value, "webhookSender");
            return this;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }

        public Jobyard build() {
            if (dataSource == null) {
                throw new IllegalStateException("Jobyard needs a database: call dataSource(...)");
            }
            return new Jobyard(this);
        }
    }
}
