package io.jobyard.application;

import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.in.auth.AccessChecks;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.hook.ApplicationSettingsUseCase;
import io.jobyard.application.port.in.hook.HooksUseCase;
import io.jobyard.application.port.in.job.GetJobUseCase;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.application.port.in.job.ListJobsUseCase;
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
import io.jobyard.application.port.out.AccessVersions;
import io.jobyard.application.port.out.ApplicationSettingsRepository;
import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.application.port.out.ArtifactIntegrityListener;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.CiConfigParser;
import io.jobyard.application.port.out.CiConfigRepository;
import io.jobyard.application.port.out.EventLog;
import io.jobyard.application.port.out.HookPayloadEncoder;
import io.jobyard.application.port.out.HookRepository;
import io.jobyard.application.port.out.HostResolver;
import io.jobyard.application.port.out.JobEventListener;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.LiveLogSignals;
import io.jobyard.application.port.out.PasswordHasher;
import io.jobyard.application.port.out.PasswordRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.application.port.out.TraceArchiveQueue;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.port.out.WebSessionRepository;
import io.jobyard.application.port.out.WebhookSender;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.AccessCache;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.application.service.admin.AccessTokensService;
import io.jobyard.application.service.admin.FirstAdministrator;
import io.jobyard.application.service.admin.MembersService;
import io.jobyard.application.service.admin.ProjectsService;
import io.jobyard.application.service.admin.UsersService;
import io.jobyard.application.service.artifact.ArtifactExpirySweeper;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.application.service.artifact.ArtifactsService;
import io.jobyard.application.service.artifact.DownloadSettings;
import io.jobyard.application.service.artifact.OrphanBlobSweeper;
import io.jobyard.application.service.auth.AuthenticateService;
import io.jobyard.application.service.auth.RequestAccessChecks;
import io.jobyard.application.service.event.EventOutbox;
import io.jobyard.application.service.event.EventPayloads;
import io.jobyard.application.service.hook.ApplicationSettingsService;
import io.jobyard.application.service.hook.HookDeliveryWorker;
import io.jobyard.application.service.hook.HookDispatcher;
import io.jobyard.application.service.hook.HooksService;
import io.jobyard.application.service.hook.UrlGuard;
import io.jobyard.application.service.job.GetJobService;
import io.jobyard.application.service.job.JobActionsService;
import io.jobyard.application.service.job.JobViewAssembler;
import io.jobyard.application.service.job.ListJobsService;
import io.jobyard.application.service.live.LiveLogHub;
import io.jobyard.application.service.live.LiveLogSettings;
import io.jobyard.application.service.live.StoredLiveJobStates;
import io.jobyard.application.service.pipeline.CiConfigService;
import io.jobyard.application.service.pipeline.CreatePipelineFromConfigService;
import io.jobyard.application.service.pipeline.CreatePipelineService;
import io.jobyard.application.service.pipeline.PipelineLimits;
import io.jobyard.application.service.pipeline.PipelineProgress;
import io.jobyard.application.service.pipeline.PipelinesService;
import io.jobyard.application.service.runner.AppendTraceService;
import io.jobyard.application.service.runner.DelayedJobScheduler;
import io.jobyard.application.service.runner.DownloadDependencyService;
import io.jobyard.application.service.runner.JobFinisher;
import io.jobyard.application.service.runner.JobTokenAuthenticator;
import io.jobyard.application.service.runner.RequestJobService;
import io.jobyard.application.service.runner.RunnerSettings;
import io.jobyard.application.service.runner.RunnersService;
import io.jobyard.application.service.runner.StuckJobSweeper;
import io.jobyard.application.service.runner.UpdateJobService;
import io.jobyard.application.service.runner.UploadArtifactService;
import io.jobyard.application.service.session.PasswordsService;
import io.jobyard.application.service.session.SignInService;
import io.jobyard.application.service.session.WebSessionService;
import io.jobyard.application.service.trace.ReadTraceService;
import io.jobyard.application.service.trace.TraceArchiveSettings;
import io.jobyard.application.service.trace.TraceArchiveWorker;
import io.jobyard.application.service.trace.TraceArchiver;
import io.jobyard.domain.artifact.ExpireIn;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.session.SessionPolicy;
import io.jobyard.domain.user.SignInLockout;
import io.jobyard.domain.user.TokenLifetime;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Every use case of Jobyard, and the background work behind them, built from the outbound ports and the settings. This
 * is the one place that calls a service's constructor: the bootstrap's wiring and every test fixture get their
 * services here, so a new constructor argument is passed in one place, and tests run the services wired exactly as
 * production runs them (the event outbox around the job and pipeline repositories included).
 *
 * <p>Read top to bottom: the outbox first (every service must write jobs and pipelines through it), then the shared
 * collaborators, then one feature after the other, in the order of {@code io.jobyard.application.service}'s packages.
 */
public final class Services {

    /**
     * The outbound ports, as the adapters implement them, and the host's hooks.
     *
     * @param jobs            the raw job repository; the services get the event outbox's wrapper around it
     * @param pipelines       the raw pipeline repository; likewise wrapped
     * @param transactor      the raw transactor; likewise wrapped
     * @param hooks           webhooks and their deliveries; the outbox queues deliveries here
     * @param traceArchiveQueue finished jobs whose log waits to be archived; the outbox queues every ending here
     * @param jobEvents       told each job transition after its commit (metrics, long polling)
     * @param integrity       told of archive entries that fail their CRC while served
     * @param eventsCommitted told the events of each commit after it (the event tailer, the webhook worker)
     * @param authentication  wraps the built-in authentication: a host's own identities, or none
     *                        ({@link UnaryOperator#identity()})
     * @param liveLogSignals  live log signals to and from the other instances ({@link LiveLogSignals#LOCAL_ONLY} for
     *                        none: followers then poll)
     * @param accessVersions  the version of users, tokens, memberships and projects, which every write to them
     *                        changes: what the tokens, users and roles kept in memory are checked against
     */
    public record Ports(
            ProjectRepository projects,
            UserRepository users,
            PipelineRepository pipelines,
            JobRepository jobs,
            ArtifactRepository artifacts,
            ArchiveIndexRepository archiveIndex,
            RunnerRepository runners,
            CiConfigRepository ciConfigs,
            HookRepository hooks,
            ApplicationSettingsRepository applicationSettings,
            EventLog events,
            PasswordRepository passwords,
            WebSessionRepository webSessions,
            Transactor transactor,
            ArtifactStore artifactStore,
            TraceStore traceStore,
            TraceArchiveQueue traceArchiveQueue,
            CiConfigParser ciConfigParser,
            HookPayloadEncoder hookPayloadEncoder,
            PasswordHasher passwordHasher,
            LiveLogSignals liveLogSignals,
            WebhookSender webhookSender,
            HostResolver hostResolver,
            Clock clock,
            JobEventListener jobEvents,
            ArtifactIntegrityListener integrity,
            Consumer<List<StatusEvent>> eventsCommitted,
            UnaryOperator<AuthenticateUseCase> authentication,
            AccessVersions accessVersions) {

        public Ports {
            Objects.requireNonNull(projects, "projects");
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(pipelines, "pipelines");
            Objects.requireNonNull(jobs, "jobs");
            Objects.requireNonNull(artifacts, "artifacts");
            Objects.requireNonNull(archiveIndex, "archiveIndex");
            Objects.requireNonNull(runners, "runners");
            Objects.requireNonNull(ciConfigs, "ciConfigs");
            Objects.requireNonNull(hooks, "hooks");
            Objects.requireNonNull(applicationSettings, "applicationSettings");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(passwords, "passwords");
            Objects.requireNonNull(webSessions, "webSessions");
            Objects.requireNonNull(transactor, "transactor");
            Objects.requireNonNull(artifactStore, "artifactStore");
            Objects.requireNonNull(traceStore, "traceStore");
            Objects.requireNonNull(traceArchiveQueue, "traceArchiveQueue");
            Objects.requireNonNull(ciConfigParser, "ciConfigParser");
            Objects.requireNonNull(hookPayloadEncoder, "hookPayloadEncoder");
            Objects.requireNonNull(passwordHasher, "passwordHasher");
            Objects.requireNonNull(liveLogSignals, "liveLogSignals");
            Objects.requireNonNull(webhookSender, "webhookSender");
            Objects.requireNonNull(hostResolver, "hostResolver");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(jobEvents, "jobEvents");
            Objects.requireNonNull(integrity, "integrity");
            Objects.requireNonNull(eventsCommitted, "eventsCommitted");
            Objects.requireNonNull(authentication, "authentication");
            Objects.requireNonNull(accessVersions, "accessVersions");
        }
    }

    /**
     * What the services are configured with; {@link #defaults} gives GitLab's values for everything but the URL.
     *
     * @param runner                the runner protocol's settings, the external URL among them
     * @param archivePolicy         when jobs count as archived (no retry, no play)
     * @param artifactLimits        what uploads and logs may hold
     * @param defaultArtifactExpiry the expiry of artifacts uploaded without {@code expire_in}; null for never
     * @param downloads             whether archive downloads redirect to object storage
     * @param pipelineLimits        what one pipeline creation may make
     * @param tokenLifetime         the longest lifetime of a new personal access token
     * @param orphanGrace           how old an unrecorded artifact blob must be before it is deleted as an orphan
     * @param webhookTimeout        how long one webhook request may take
     * @param webhookRetry          the delay before a failed webhook delivery is tried again (doubling, up to an hour)
     * @param liveLog               how live log follows are served (heartbeat, poll, slow followers, pool size)
     * @param sessions              when web sessions end
     * @param changeFeedDelay       how old a job change must be before the change feed (jobs by {@code updated_at}
     *                              ascending) lists it; zero turns the wait off
     */
    public record Settings(
            RunnerSettings runner,
            ArchivePolicy archivePolicy,
            ArtifactLimits artifactLimits,
            Duration defaultArtifactExpiry,
            DownloadSettings downloads,
            PipelineLimits pipelineLimits,
            TokenLifetime tokenLifetime,
            Duration orphanGrace,
            Duration webhookTimeout,
            Duration webhookRetry,
            LiveLogSettings liveLog,
            SessionPolicy sessions,
            Duration changeFeedDelay) {

        public Settings {
            Objects.requireNonNull(runner, "runner");
            Objects.requireNonNull(archivePolicy, "archivePolicy");
            Objects.requireNonNull(artifactLimits, "artifactLimits");
            Objects.requireNonNull(downloads, "downloads");
            Objects.requireNonNull(pipelineLimits, "pipelineLimits");
            Objects.requireNonNull(tokenLifetime, "tokenLifetime");
            Objects.requireNonNull(orphanGrace, "orphanGrace");
            Objects.requireNonNull(webhookTimeout, "webhookTimeout");
            Objects.requireNonNull(webhookRetry, "webhookRetry");
            Objects.requireNonNull(liveLog, "liveLog");
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(changeFeedDelay, "changeFeedDelay");
            if (changeFeedDelay.isNegative()) {
                throw new IllegalArgumentException("the change feed delay must not be negative");
            }
        }

        public static Settings defaults(URI externalUrl) {
            return new Settings(RunnerSettings.of(externalUrl), ArchivePolicy.NEVER, ArtifactLimits.DEFAULTS,
                    ExpireIn.DEFAULT, DownloadSettings.STREAM, PipelineLimits.DEFAULTS, TokenLifetime.DEFAULT,
                    OrphanBlobSweeper.DEFAULT_GRACE, Duration.ofSeconds(10), Duration.ofSeconds(10),
                    LiveLogSettings.DEFAULTS, SessionPolicy.DEFAULTS, ListJobsService.DEFAULT_CHANGE_FEED_DELAY);
        }

        public Settings withRunner(RunnerSettings value) {
            return with(s -> s.runner = value);
        }

        public Settings withArchivePolicy(ArchivePolicy value) {
            return with(s -> s.archivePolicy = value);
        }

        public Settings withArtifactLimits(ArtifactLimits value) {
            return with(s -> s.artifactLimits = value);
        }

        public Settings withDefaultArtifactExpiry(Duration value) {
            return with(s -> s.defaultArtifactExpiry = value);
        }

        public Settings withDownloads(DownloadSettings value) {
            return with(s -> s.downloads = value);
        }

        public Settings withPipelineLimits(PipelineLimits value) {
            return with(s -> s.pipelineLimits = value);
        }

        public Settings withTokenLifetime(TokenLifetime value) {
            return with(s -> s.tokenLifetime = value);
        }

        public Settings withOrphanGrace(Duration value) {
            return with(s -> s.orphanGrace = value);
        }

        public Settings withWebhooks(Duration timeout, Duration retry) {
            return with(s -> {
                s.webhookTimeout = timeout;
                s.webhookRetry = retry;
            });
        }

        public Settings withLiveLog(LiveLogSettings value) {
            return with(s -> s.liveLog = value);
        }

        public Settings withSessions(SessionPolicy value) {
            return with(s -> s.sessions = value);
        }

        public Settings withChangeFeedDelay(Duration value) {
            return with(s -> s.changeFeedDelay = value);
        }

        private Settings with(Consumer<Draft> change) {
            Draft draft = new Draft(this);
            change.accept(draft);
            return draft.settings();
        }

        /** A copy of settings to change one or two of before it becomes settings again. */
        private static final class Draft {
            RunnerSettings runner;
            ArchivePolicy archivePolicy;
            ArtifactLimits artifactLimits;
            Duration defaultArtifactExpiry;
            DownloadSettings downloads;
            PipelineLimits pipelineLimits;
            TokenLifetime tokenLifetime;
            Duration orphanGrace;
            Duration webhookTimeout;
            Duration webhookRetry;
            LiveLogSettings liveLog;
            SessionPolicy sessions;
            Duration changeFeedDelay;

            Draft(Settings from) {
                runner = from.runner;
                archivePolicy = from.archivePolicy;
                artifactLimits = from.artifactLimits;
                defaultArtifactExpiry = from.defaultArtifactExpiry;
                downloads = from.downloads;
                pipelineLimits = from.pipelineLimits;
                tokenLifetime = from.tokenLifetime;
                orphanGrace = from.orphanGrace;
                webhookTimeout = from.webhookTimeout;
                webhookRetry = from.webhookRetry;
                liveLog = from.liveLog;
                sessions = from.sessions;
                changeFeedDelay = from.changeFeedDelay;
            }

            Settings settings() {
                return new Settings(runner, archivePolicy, artifactLimits, defaultArtifactExpiry, downloads,
                        pipelineLimits, tokenLifetime, orphanGrace, webhookTimeout, webhookRetry, liveLog, sessions,
                        changeFeedDelay);
            }
        }
    }

    /** Sweeps claim this many rows per batch. */
    private static final int SWEEP_BATCH = 500;
    /** The webhook worker leases this many due deliveries per pass. */
    private static final int DELIVERY_BATCH = 100;
    /** The longest delay between two attempts of a failing webhook delivery. */
    private static final Duration MAX_WEBHOOK_RETRY = Duration.ofHours(1);

    private final Ports ports;
    private final Settings settings;
    private final JobRepository jobs;
    private final PipelineRepository pipelines;
    private final Transactor transactor;
    private final OptimisticRetry retry;
    private final ProjectGate gate;
    private final AccessChecks accessChecks;

    private final PipelineProgress progress;
    private final CreatePipelineService createPipeline;
    private final PipelinesService pipelinesService;
    private final CiConfigService ciConfig;
    private final CreatePipelineFromConfigService createPipelineFromConfig;

    private final JobViewAssembler views;
    private final ListJobsService listJobs;
    private final GetJobService getJob;
    private final JobActionsService jobActions;

    private final TraceArchiver traceArchiver;
    private final ReadTraceService readTrace;
    private final LiveLogHub liveLog;

    private final ArtifactsService artifactsService;

    private final AuthenticateUseCase authenticate;
    private final UsersService users;
    private final ProjectsService projects;
    private final MembersService members;
    private final AccessTokensService accessTokens;
    private final FirstAdministrator firstAdministrator;

    private final SignInService signIn;
    private final WebSessionService webSessions;
    private final PasswordsService passwords;

    private final JobFinisher finisher;
    private final JobTokenAuthenticator jobTokens;
    private final RunnersService runners;
    private final RequestJobService requestJob;
    private final UpdateJobService updateJob;
    private final AppendTraceService appendTrace;
    private final UploadArtifactService uploadArtifact;
    private final DownloadDependencyService downloadDependency;

    private final EventPayloads eventPayloads;
    private final HookDispatcher hookDispatcher;
    private final HooksService hooksService;
    private final ApplicationSettingsService applicationSettings;

    private Services(Ports ports, Settings settings) {
        this.ports = ports;
        this.settings = settings;
        Clock clock = ports.clock();
        // Every job and pipeline status change becomes an event in the transaction that makes it: every service below
        // writes jobs and pipelines through these three wrappers.
        EventOutbox outbox = new EventOutbox(ports.jobs(), ports.pipelines(), ports.transactor(), ports.events(),
                ports.hooks(), ports.traceArchiveQueue(), clock, ports.jobEvents(), ports.eventsCommitted());
        jobs = outbox.jobs();
        pipelines = outbox.pipelines();
        transactor = outbox.transactor();
        retry = new OptimisticRetry(transactor);
        // Tokens, users and project roles kept between requests while the access version stands (issue 18).
        AccessCache accessCache = new AccessCache(ports.accessVersions());
        accessChecks = new RequestAccessChecks(accessCache);
        gate = new ProjectGate(ports.projects(), jobs, accessCache);

        progress = new PipelineProgress(jobs, pipelines, settings.archivePolicy(), clock);
        createPipeline = new CreatePipelineService(gate, pipelines, jobs, progress, retry, clock);
        pipelinesService = new PipelinesService(gate, pipelines, jobs, ports.users(), ports.runners(),
                progress, retry, clock);
        ciConfig = new CiConfigService(gate, ports.ciConfigs(), ports.ciConfigParser(), clock,
                settings.pipelineLimits());
        createPipelineFromConfig = new CreatePipelineFromConfigService(gate, ports.ciConfigs(),
                ports.ciConfigParser(), createPipeline, settings.pipelineLimits());

        views = new JobViewAssembler(pipelines, ports.users(), ports.runners(), ports.artifacts(),
                settings.archivePolicy(), clock, accessCache);
        listJobs = new ListJobsService(gate, ports.users(), jobs, pipelines, views, transactor, clock,
                settings.changeFeedDelay());
        getJob = new GetJobService(ports.projects(), gate, jobs, views, transactor);
        jobActions = new JobActionsService(gate, jobs, ports.artifacts(), ports.archiveIndex(),
                ports.runners(), ports.artifactStore(), ports.traceStore(), progress, views, retry,
                settings.archivePolicy(), clock);

        traceArchiver = new TraceArchiver(jobs, ports.artifacts(), ports.traceStore(), ports.artifactStore(),
                transactor, clock);
        readTrace = new ReadTraceService(gate, jobs, ports.artifacts(), ports.artifactStore(), ports.traceStore(),
                transactor);
        // Live log follows: appends and job endings wake the followers on this instance and, through the signals, on
        // the others; without signals followers poll the log lengths.
        liveLog = new LiveLogHub(readTrace, ports.traceStore(), new StoredLiveJobStates(jobs, ports.artifacts(),
                ports.traceStore(), ports.traceArchiveQueue(), transactor, clock, settings.liveLog().archiveWait()),
                ports.liveLogSignals(),
                settings.liveLog(), clock);

        artifactsService = new ArtifactsService(gate, jobs, pipelines, ports.artifacts(), ports.archiveIndex(),
                ports.artifactStore(), transactor, clock, settings.downloads(), ports.integrity());

        authenticate = ports.authentication().apply(
                new AuthenticateService(ports.users(), jobs, ports.projects(), clock, accessCache));
        users = new UsersService(ports.users(), ports.projects(), transactor, clock);
        projects = new ProjectsService(ports.projects(), gate, transactor, clock);
        members = new MembersService(ports.users(), ports.projects(), gate, transactor);
        accessTokens = new AccessTokensService(ports.users(), transactor, clock, settings.tokenLifetime());
        firstAdministrator = new FirstAdministrator(ports.users(), transactor, clock);

        // Sign-in for the web pages: passwords hashed, sessions in the database (any instance serves them).
        webSessions = new WebSessionService(ports.webSessions(), ports.users(), transactor, settings.sessions(), clock);
        signIn = new SignInService(ports.users(), ports.passwords(), ports.passwordHasher(), ports.webSessions(),
                authenticate, settings.sessions(), SignInLockout.GITLAB, clock);
        passwords = new PasswordsService(users, ports.users(), ports.passwords(), ports.webSessions(),
                ports.passwordHasher(), transactor, clock);

        finisher = new JobFinisher(jobs, progress, retry, liveLog);
        jobTokens = new JobTokenAuthenticator(jobs, ports.projects(), finisher, settings.runner(), clock);
        runners = new RunnersService(ports.runners(), ports.projects(), clock);
        requestJob = new RequestJobService(ports.runners(), jobs, pipelines, ports.projects(), ports.users(),
                ports.artifacts(), progress, retry, finisher, settings.runner(), clock);
        updateJob = new UpdateJobService(jobTokens, jobs, finisher, retry, settings.runner(), clock);
        appendTrace = new AppendTraceService(jobTokens, ports.traceStore(), traceArchiver, finisher, clock,
                settings.artifactLimits(), liveLog);
        uploadArtifact = new UploadArtifactService(jobTokens, jobs, ports.artifacts(), ports.archiveIndex(),
                ports.artifactStore(), transactor, clock, settings.artifactLimits(), settings.defaultArtifactExpiry());
        downloadDependency = new DownloadDependencyService(authenticate, jobs, ports.projects(), ports.artifacts(),
                ports.artifactStore());

        eventPayloads = new EventPayloads(jobs, pipelines, ports.projects(), ports.users(), ports.runners(),
                ports.artifacts(), transactor, clock);
        hookDispatcher = new HookDispatcher(ports.hooks(), ports.applicationSettings(),
                new UrlGuard(ports.hostResolver()), ports.webhookSender(), settings.runner().serverUrl(),
                settings.webhookTimeout(), clock);
        hooksService = new HooksService(gate, ports.hooks(), ports.applicationSettings(),
                new UrlGuard(ports.hostResolver()), jobs, pipelines, eventPayloads, ports.hookPayloadEncoder(),
                hookDispatcher, transactor, clock);
        applicationSettings = new ApplicationSettingsService(ports.applicationSettings());
    }

    /** Builds every service over {@code ports}, configured by {@code settings}. */
    public static Services wire(Ports ports, Settings settings) {
        return new Services(Objects.requireNonNull(ports, "ports"), Objects.requireNonNull(settings, "settings"));
    }

    public Settings settings() {
        return settings;
    }

    // ------------------------------------------------------------------------------------------------- use cases

    public ListJobsUseCase listJobs() {
        return listJobs;
    }

    public GetJobUseCase getJob() {
        return getJob;
    }

    public JobActionsUseCase jobActions() {
        return jobActions;
    }

    public ReadTraceUseCase readTrace() {
        return readTrace;
    }

    public FollowTraceUseCase followTrace() {
        return liveLog;
    }

    public ArtifactsUseCase artifacts() {
        return artifactsService;
    }

    public CreatePipelineUseCase createPipeline() {
        return createPipeline;
    }

    public CreatePipelineFromConfigUseCase createPipelineFromConfig() {
        return createPipelineFromConfig;
    }

    public PipelinesUseCase pipelines() {
        return pipelinesService;
    }

    public CiConfigUseCase ciConfig() {
        return ciConfig;
    }

    /** Brackets a request, so that it reads the access version once rather than in authentication and again in the gate. */
    public AccessChecks accessChecks() {
        return accessChecks;
    }

    public AuthenticateUseCase authenticate() {
        return authenticate;
    }

    public UsersUseCase users() {
        return users;
    }

    public ProjectsUseCase projects() {
        return projects;
    }

    public MembersUseCase members() {
        return members;
    }

    public AccessTokensUseCase accessTokens() {
        return accessTokens;
    }

    public SignInUseCase signIn() {
        return signIn;
    }

    public WebSessionUseCase webSessions() {
        return webSessions;
    }

    public PasswordsUseCase passwords() {
        return passwords;
    }

    public RunnersUseCase runners() {
        return runners;
    }

    public RequestJobUseCase requestJob() {
        return requestJob;
    }

    public UpdateJobUseCase updateJob() {
        return updateJob;
    }

    public AppendTraceUseCase appendTrace() {
        return appendTrace;
    }

    public UploadArtifactUseCase uploadArtifact() {
        return uploadArtifact;
    }

    public DownloadDependencyUseCase downloadDependency() {
        return downloadDependency;
    }

    public HooksUseCase hooks() {
        return hooksService;
    }

    public ApplicationSettingsUseCase applicationSettings() {
        return applicationSettings;
    }

    // ------------------------------------------------------------------ what the use cases share, and what runs behind

    /** The job repository every service uses: the event outbox's. */
    public JobRepository jobRepository() {
        return jobs;
    }

    /** The pipeline repository every service uses: the event outbox's. */
    public PipelineRepository pipelineRepository() {
        return pipelines;
    }

    /** The transactor every service uses: the event outbox's. */
    public Transactor transactor() {
        return transactor;
    }

    /** Opens the project a request names and, for the job routes, its job. */
    public ProjectGate projectGate() {
        return gate;
    }

    public PipelineProgress pipelineProgress() {
        return progress;
    }

    public JobViewAssembler jobViews() {
        return views;
    }

    public TraceArchiver traceArchiver() {
        return traceArchiver;
    }

    /** The live log follows: the owner closes it (its pool and the signals' connection). */
    public LiveLogHub liveLogHub() {
        return liveLog;
    }

    /** The log of a job without access checks, for the system and for callers that made them. */
    public ReadTraceService traceReader() {
        return readTrace;
    }

    public JobFinisher jobFinisher() {
        return finisher;
    }

    public JobTokenAuthenticator jobTokens() {
        return jobTokens;
    }

    public FirstAdministrator firstAdministrator() {
        return firstAdministrator;
    }

    public EventPayloads eventPayloads() {
        return eventPayloads;
    }

    /** The web sessions, with the sweep that deletes the expired ones. */
    public WebSessionService webSessionService() {
        return webSessions;
    }

    /** Deletes expired artifacts, {@code batchSize} per transaction. */
    public ArtifactExpirySweeper artifactExpirySweeper(int batchSize) {
        return new ArtifactExpirySweeper(ports.artifacts(), ports.archiveIndex(), ports.artifactStore(), jobs,
                pipelines, transactor, ports.clock(), batchSize);
    }

    public ArtifactExpirySweeper artifactExpirySweeper() {
        return artifactExpirySweeper(SWEEP_BATCH);
    }

    /**
     * Deletes artifact blobs no record names once they are older than the settings' orphan grace, looking up
     * {@code batchSize} keys per query.
     */
    public OrphanBlobSweeper orphanBlobSweeper(int batchSize) {
        return new OrphanBlobSweeper(ports.artifactStore(), ports.artifacts(), ports.clock(), settings.orphanGrace(),
                batchSize);
    }

    public OrphanBlobSweeper orphanBlobSweeper() {
        return orphanBlobSweeper(SWEEP_BATCH);
    }

    /** Drops running jobs whose runner went silent or whose timeout passed, {@code batchSize} per pass. */
    public StuckJobSweeper stuckJobSweeper(int batchSize) {
        return new StuckJobSweeper(jobs, finisher, settings.runner(), ports.clock(), batchSize);
    }

    public StuckJobSweeper stuckJobSweeper() {
        return stuckJobSweeper(StuckJobSweeper.DEFAULT_BATCH_SIZE);
    }

    /** Enqueues delayed jobs whose time has come, {@code batchSize} per pass. */
    public DelayedJobScheduler delayedJobScheduler(int batchSize) {
        return new DelayedJobScheduler(jobs, progress, retry, ports.clock(), batchSize);
    }

    public DelayedJobScheduler delayedJobScheduler() {
        return delayedJobScheduler(DelayedJobScheduler.DEFAULT_BATCH_SIZE);
    }

    /**
     * Archives the logs of finished jobs from the queue their endings wrote, leasing entries as {@code owner} (one
     * owner per instance).
     */
    public TraceArchiveWorker traceArchiveWorker(String owner, TraceArchiveSettings archiving) {
        return new TraceArchiveWorker(ports.traceArchiveQueue(), traceArchiver, liveLog::jobChanged, ports.clock(), owner,
                archiving);
    }

    /** Sends the webhook deliveries that are due, leasing them as {@code owner} (one owner per instance). */
    public HookDeliveryWorker hookDeliveryWorker(String owner) {
        return new HookDeliveryWorker(ports.hooks(), eventPayloads, ports.hookPayloadEncoder(), hookDispatcher,
                ports.clock(), owner, settings.webhookRetry(), MAX_WEBHOOK_RETRY, DELIVERY_BATCH);
    }
}
