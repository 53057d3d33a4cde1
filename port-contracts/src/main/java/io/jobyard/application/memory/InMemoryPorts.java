package io.jobyard.application.memory;

import io.jobyard.application.Services;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
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
import io.jobyard.domain.event.StatusEvent;

import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Every outbound port in memory, on one {@link InMemoryTransactor}, for {@link Services#wire}: how a test fixture gets
 * the services wired exactly as the bootstrap wires them. The stores are the first fields, for seeding and inspecting;
 * the ports the services get follow, each the store above it by default. A test that needs another implementation of
 * a port (a store that fails on cue, a repository that loses races or counts calls) wires services of its own with
 * {@link #wire(Services.Settings, Consumer)}, which changes a copy of the ports and leaves these as they are.
 *
 * <p>No network: webhook hosts resolve to nothing and a webhook request fails unless a test puts a sender of its own.
 */
public final class InMemoryPorts {
    public final Clock clock;
    public final Repositories repos;
    public final InMemoryTransactor transactor;
    public final InMemoryArchiveIndexRepository archiveIndexStore;
    public final InMemoryCiConfigRepository ciConfigStore;
    public final InMemoryHookRepository hookStore;
    public final InMemoryApplicationSettingsRepository settingsStore;
    public final InMemoryEventLog eventStore;
    public final InMemoryPasswordRepository passwordStore;
    public final InMemoryWebSessionRepository webSessionStore;
    public final InMemoryTraceArchiveQueue traceArchiveQueueStore;
    public final FakePasswordHasher hasher = new FakePasswordHasher();

    public ProjectRepository projects;
    public UserRepository users;
    public PipelineRepository pipelines;
    public JobRepository jobs;
    public ArtifactRepository artifacts;
    public ArchiveIndexRepository archiveIndex;
    public RunnerRepository runners;
    public CiConfigRepository ciConfigs;
    public HookRepository hooks;
    public ApplicationSettingsRepository applicationSettings;
    public EventLog events;
    public PasswordRepository passwords;
    public WebSessionRepository webSessions;
    public Transactor transactorPort;
    public ArtifactStore artifactStore;
    public TraceStore traceStore = new InMemoryTraceStore();
    public TraceArchiveQueue traceArchiveQueue;
    public CiConfigParser ciConfigParser = new FakeCiConfigParser();
    public HookPayloadEncoder hookPayloadEncoder = payload -> "{\"event\":\"" + payload.eventHeader() + "\"}";
    public PasswordHasher passwordHasher = hasher;
    public LiveLogSignals liveLogSignals = LiveLogSignals.LOCAL_ONLY;
    public WebhookSender webhookSender = request -> WebhookSender.Response.failed("no network in tests",
            Duration.ZERO);
    public HostResolver hostResolver = host -> {
        throw new UnknownHostException(host);
    };
    public JobEventListener jobEvents = JobEventListener.NONE;
    public ArtifactIntegrityListener integrity = ArtifactIntegrityListener.NONE;
    public Consumer<List<StatusEvent>> eventsCommitted = committed -> { };
    public UnaryOperator<AuthenticateUseCase> authentication = UnaryOperator.identity();
    public AccessVersions accessVersions;

    /** Fresh stores; the artifact store keeps modification times by {@code clock} (the orphan sweep reads them). */
    public InMemoryPorts(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        repos = InMemoryRepositories.create();
        transactor = (InMemoryTransactor) repos.transactor();
        archiveIndexStore = new InMemoryArchiveIndexRepository(transactor);
        ciConfigStore = new InMemoryCiConfigRepository();
        hookStore = new InMemoryHookRepository(transactor);
        settingsStore = new InMemoryApplicationSettingsRepository();
        eventStore = new InMemoryEventLog(transactor);
        passwordStore = new InMemoryPasswordRepository(transactor);
        webSessionStore = new InMemoryWebSessionRepository(transactor);
        traceArchiveQueueStore = new InMemoryTraceArchiveQueue(transactor);
        traceArchiveQueue = traceArchiveQueueStore;
        projects = repos.projects();
        users = repos.users();
        pipelines = repos.pipelines();
        jobs = repos.jobs();
        artifacts = repos.artifacts();
        archiveIndex = archiveIndexStore;
        runners = repos.runners();
        ciConfigs = ciConfigStore;
        hooks = hookStore;
        applicationSettings = settingsStore;
        events = eventStore;
        passwords = passwordStore;
        webSessions = webSessionStore;
        transactorPort = transactor;
        accessVersions = new InMemoryAccessVersions(transactor);
        artifactStore = new InMemoryArtifactStore(clock);
    }

    private InMemoryPorts(InMemoryPorts from) {
        clock = from.clock;
        repos = from.repos;
        transactor = from.transactor;
        archiveIndexStore = from.archiveIndexStore;
        ciConfigStore = from.ciConfigStore;
        hookStore = from.hookStore;
        settingsStore = from.settingsStore;
        eventStore = from.eventStore;
        passwordStore = from.passwordStore;
        webSessionStore = from.webSessionStore;
        traceArchiveQueueStore = from.traceArchiveQueueStore;
        projects = from.projects;
        users = from.users;
        pipelines = from.pipelines;
        jobs = from.jobs;
        artifacts = from.artifacts;
        archiveIndex = from.archiveIndex;
        runners = from.runners;
        ciConfigs = from.ciConfigs;
        hooks = from.hooks;
        applicationSettings = from.applicationSettings;
        events = from.events;
        passwords = from.passwords;
        webSessions = from.webSessions;
        transactorPort = from.transactorPort;
        artifactStore = from.artifactStore;
        traceStore = from.traceStore;
        traceArchiveQueue = from.traceArchiveQueue;
        ciConfigParser = from.ciConfigParser;
        hookPayloadEncoder = from.hookPayloadEncoder;
        passwordHasher = from.passwordHasher;
        liveLogSignals = from.liveLogSignals;
        webhookSender = from.webhookSender;
        hostResolver = from.hostResolver;
        jobEvents = from.jobEvents;
        integrity = from.integrity;
        eventsCommitted = from.eventsCommitted;
        authentication = from.authentication;
        accessVersions = from.accessVersions;
    }

    public Services.Ports ports() {
        return new Services.Ports(projects, users, pipelines, jobs, artifacts, archiveIndex, runners, ciConfigs,
                hooks, applicationSettings, events, passwords, webSessions, transactorPort, artifactStore, traceStore,
                traceArchiveQueue,
                ciConfigParser, hookPayloadEncoder, passwordHasher, liveLogSignals, webhookSender, hostResolver, clock,
                jobEvents, integrity, eventsCommitted, authentication, accessVersions);
    }

    /** The services over these ports. */
    public Services wire(Services.Settings settings) {
        return Services.wire(ports(), settings);
    }

    /** The services over a copy of these ports (the same stores) that {@code change} has changed. */
    public Services wire(Services.Settings settings, Consumer<InMemoryPorts> change) {
        InMemoryPorts copy = new InMemoryPorts(this);
        change.accept(copy);
        return copy.wire(settings);
    }
}
