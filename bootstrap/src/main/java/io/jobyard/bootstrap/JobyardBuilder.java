package io.jobyard.bootstrap;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.hook.SocketWebhookSender;
import io.jobyard.adapter.http.throttle.ThrottleSettings;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.HostResolver;
import io.jobyard.application.port.out.PasswordHasher;
import io.jobyard.application.port.out.SecretCipher;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.port.out.WebhookSender;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.application.service.artifact.OrphanBlobSweeper;
import io.jobyard.application.service.job.ListJobsService;
import io.jobyard.application.service.live.LiveLogSettings;
import io.jobyard.application.service.pipeline.PipelineLimits;
import io.jobyard.application.service.trace.TraceArchiveSettings;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.session.SessionPolicy;
import io.jobyard.domain.user.TokenLifetime;
import io.micrometer.core.instrument.MeterRegistry;

import javax.sql.DataSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How to build {@link Jobyard}; every setting but the database has a default. {@code Jobyard.builder()} starts one.
 */
public final class JobyardBuilder {
    DataSource dataSource;
    AutoCloseable ownedDataSource;
    Path storageDir = Path.of("data");
    ArtifactStore artifactStore;
    TraceStore traceStore;
    boolean liveTracesInDatabase;
    Function<AuthenticateUseCase, AuthenticateUseCase> authentication = Function.identity();
    Clock clock = Clock.systemUTC();
    URI externalUrl = URI.create("http://localhost:8080");
    ArtifactLimits limits = ArtifactLimits.DEFAULTS;
    Duration defaultExpiry = Duration.ofDays(30);
    boolean redirectDownloads;
    ArchivePolicy archivePolicy = ArchivePolicy.NEVER;
    MeterRegistry meterRegistry;
    Duration runnerLongPoll = Duration.ZERO;
    Duration orphanGrace = OrphanBlobSweeper.DEFAULT_GRACE;
    Duration changeFeedDelay = ListJobsService.DEFAULT_CHANGE_FEED_DELAY;
    Duration bodyTimeout = HttpSettings.DEFAULT_BODY_TIMEOUT;
    Duration bodyIdleTimeout = HttpSettings.DEFAULT_BODY_IDLE_TIMEOUT;
    /** 0: HttpSettings' default, raised to hold the largest configuration body. */
    long bodyBuffer;
    TokenLifetime tokenLifetime = TokenLifetime.DEFAULT;
    ThrottleSettings authThrottle = ThrottleSettings.DEFAULTS;
    PipelineLimits pipelineLimits = PipelineLimits.DEFAULTS;
    SecretCipher secretCipher;
    Duration eventRetention = Duration.ofDays(7);
    Duration eventPoll = Duration.ofMillis(500);
    Duration webhookTimeout = Duration.ofSeconds(10);
    Duration webhookRetry = Duration.ofSeconds(10);
    HostResolver hostResolver = HostResolver.SYSTEM;
    WebhookSender webhookSender = new SocketWebhookSender();
    LiveLogSettings liveLog = LiveLogSettings.DEFAULTS;
    SessionPolicy sessions = SessionPolicy.DEFAULTS;
    PasswordHasher passwordHasher;
    TraceArchiveSettings traceArchiving = TraceArchiveSettings.DEFAULTS;

    JobyardBuilder() {
    }

    /**
     * How live log follows behave: heartbeat interval (15 s), how often followed jobs are polled (500 ms: finds
     * other instances' appends where the database has no notifications), how many undelivered bytes a follower may
     * hold before it is cut off (4 MiB), and the size of the pool that serves every follower (2 threads).
     */
    public JobyardBuilder liveLog(LiveLogSettings value) {
        liveLog = Objects.requireNonNull(value, "liveLog");
        return this;
    }

    /** When web sessions end: idle timeout (default 7 days, GitLab's session duration) and maximum age (30 days). */
    public JobyardBuilder sessions(SessionPolicy value) {
        sessions = Objects.requireNonNull(value, "sessions");
        return this;
    }

    /** How passwords are hashed; default Argon2id with OWASP's parameters (19 MiB, 2 passes). */
    public JobyardBuilder passwordHasher(PasswordHasher value) {
        passwordHasher = Objects.requireNonNull(value, "passwordHasher");
        return this;
    }

    /**
     * The longest lifetime of a new personal access token ({@link TokenLifetime#DEFAULT}: GitLab's 365 days, the
     * default when none is asked for); {@link TokenLifetime#UNLIMITED} lets tokens live forever.
     */
    public JobyardBuilder tokenLifetime(TokenLifetime value) {
        tokenLifetime = Objects.requireNonNull(value, "tokenLifetime");
        return this;
    }

    /**
     * The failed-authentication throttle of the HTTP API (on by default with GitLab's limits: ten different unknown
     * tokens from one client address within a minute ban the address for an hour); null switches it off, for a
     * host that throttles in front of Jobyard itself.
     */
    public JobyardBuilder authenticationThrottle(ThrottleSettings value) {
        authThrottle = value;
        return this;
    }

    /** The host's database (H2 or PostgreSQL). Jobyard migrates its schema; the host keeps the pool. */
    public JobyardBuilder dataSource(DataSource value) {
        dataSource = Objects.requireNonNull(value, "dataSource");
        return this;
    }

    /** A database whose pool Jobyard owns and closes. */
    public JobyardBuilder ownedDataSource(DataSource value, AutoCloseable pool) {
        dataSource = Objects.requireNonNull(value, "dataSource");
        ownedDataSource = pool;
        return this;
    }

    /** Artifacts and live logs on the local filesystem under {@code directory}. */
    public JobyardBuilder filesystemStorage(Path directory) {
        storageDir = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /** A storage of the host's own (object storage, say); live logs then live in the database. */
    public JobyardBuilder artifactStore(ArtifactStore store) {
        artifactStore = Objects.requireNonNull(store, "store");
        liveTracesInDatabase = true;
        return this;
    }

    public JobyardBuilder traceStore(TraceStore store) {
        traceStore = Objects.requireNonNull(store, "store");
        return this;
    }

    /** The host's own authentication: map its identities onto Jobyard users and roles. */
    public JobyardBuilder authenticator(AuthenticateUseCase value) {
        Objects.requireNonNull(value, "authenticator");
        authentication = builtIn -> value;
        return this;
    }

    /**
     * The host's own authentication built around Jobyard's (personal access tokens and CI job tokens), e.g. to try
     * the host's sessions first and fall back to Jobyard's tokens.
     */
    public JobyardBuilder authentication(Function<AuthenticateUseCase, AuthenticateUseCase> aroundBuiltIn) {
        authentication = Objects.requireNonNull(aroundBuiltIn, "aroundBuiltIn");
        return this;
    }

    public JobyardBuilder clock(Clock value) {
        clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    public JobyardBuilder externalUrl(URI value) {
        externalUrl = Objects.requireNonNull(value, "externalUrl");
        return this;
    }

    public JobyardBuilder limits(ArtifactLimits value) {
        limits = Objects.requireNonNull(value, "limits");
        return this;
    }

    /** Expiry of artifacts uploaded without {@code expire_in}; null for never. */
    public JobyardBuilder defaultExpiry(Duration value) {
        defaultExpiry = value;
        return this;
    }

    public JobyardBuilder redirectDownloads(boolean value) {
        redirectDownloads = value;
        return this;
    }

    public JobyardBuilder archivePolicy(ArchivePolicy value) {
        archivePolicy = Objects.requireNonNull(value, "archivePolicy");
        return this;
    }

    /**
     * Holds a runner's job request for up to {@code value} while nothing is queued for it, as GitLab Workhorse's
     * long polling does (GitLab's default is 50 s); zero, the default, answers 204 at once.
     */
    public JobyardBuilder runnerLongPolling(Duration value) {
        runnerLongPoll = Objects.requireNonNull(value, "runnerLongPolling");
        return this;
    }

    /**
     * How finished jobs' logs are archived in the background (issue 18): how many at once on this instance (2; 0
     * leaves it to the other instances sharing the database), the retry delay after a failure (5 s, doubling up to
     * 30 min), how long an instance holds an entry before another may take it (10 min: a killed instance's work is
     * resumed after it) and how often an idle worker looks for other instances' entries (2 s). The worker starts with
     * the {@link Jobyard}, not with {@link Jobyard#startBackgroundWork}: a finished job's log is archived whether or not
     * the host runs the sweeps.
     */
    public JobyardBuilder traceArchiving(TraceArchiveSettings value) {
        traceArchiving = Objects.requireNonNull(value, "traceArchiving");
        return this;
    }

    /**
     * How old a blob no artifact record names must be before the background work deletes it as an orphan
     * (default one hour). It must exceed the longest time from the start of an upload's publish (a multipart
     * upload of the largest artifact to object storage) to the commit of its record, plus the clock skew between
     * object storage and this host: a blob younger than that may belong to an upload still in progress.
     */
    /**
     * How old a job change must be before the change feed ({@code GET /projects/:id/jobs?order_by=updated_at
     * &sort=asc}) lists it (default 5 s). A change is stamped when it is made and seen when its transaction
     * commits; the feed waits this long so that no change committing late is skipped by a reader that already
     * moved past its time. It must exceed the longest job-writing transaction plus the clock skew between
     * instances sharing the database; zero turns the wait off.
     */
    public JobyardBuilder changeFeedDelay(Duration value) {
        Objects.requireNonNull(value, "changeFeedDelay");
        if (value.isNegative()) {
            throw new IllegalArgumentException("the change feed delay must not be negative");
        }
        changeFeedDelay = value;
        return this;
    }

    public JobyardBuilder orphanGrace(Duration value) {
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
    public JobyardBuilder bodyTimeouts(Duration total, Duration idle) {
        HttpSettings.of(URI.create("http://localhost")).withBodyTimeouts(total, idle);
        bodyTimeout = total;
        bodyIdleTimeout = idle;
        return this;
    }

    /**
     * What all small request bodies being received may hold together (default 32 MiB, at least the largest body):
     * bodies arrive before their requests are authenticated, so the sum is bounded, not only each one; a body that
     * would pass it is answered 503 and its connection closed.
     */
    public JobyardBuilder bodyBuffer(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("the body buffer must be positive");
        }
        bodyBuffer = bytes;
        return this;
    }

    /**
     * The key (32 bytes) that seals pipeline and job variables in the database (AES-256-GCM). Without one, Jobyard
     * uses {@code encryption.key} in the filesystem storage directory, generating it on the first start. Keep it
     * with the database's backups: the variables cannot be read without it. Instances sharing a database need the
     * same key.
     */
    public JobyardBuilder encryptionKey(byte[] key) {
        secretCipher = new AesGcmSecretCipher(Objects.requireNonNull(key, "key"));
        return this;
    }

    /** A cipher of the host's own (a key management service, say) instead of {@link #encryptionKey}. */
    public JobyardBuilder secretCipher(SecretCipher value) {
        secretCipher = Objects.requireNonNull(value, "secretCipher");
        return this;
    }

    /**
     * What one pipeline creation may make ({@link PipelineLimits#DEFAULTS}: GitLab.com's 2,000 jobs, GitLab's
     * 2 MiB and 100 levels of configuration): more is refused with GitLab's errors before the work is done.
     */
    public JobyardBuilder pipelineLimits(PipelineLimits value) {
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
    public JobyardBuilder meterRegistry(MeterRegistry value) {
        meterRegistry = Objects.requireNonNull(value, "meterRegistry");
        return this;
    }

    /**
     * How long job and pipeline events, delivered webhook deliveries and webhook logs are kept (default 7 days):
     * the background work deletes older ones. Issue 16's event stream resumes within this window.
     */
    public JobyardBuilder eventRetention(Duration value) {
        eventRetention = positive(value, "eventRetention");
        return this;
    }

    /**
     * How often each instance looks for events and webhook deliveries committed by other instances (default
     * 0.5 s); its own commits are seen at once.
     */
    public JobyardBuilder eventPollInterval(Duration value) {
        eventPoll = positive(value, "eventPollInterval");
        return this;
    }

    /** How long one webhook attempt may take (GitLab's {@code webhook_timeout}, default 10 s). */
    public JobyardBuilder webhookTimeout(Duration value) {
        webhookTimeout = positive(value, "webhookTimeout");
        return this;
    }

    /** The delay before a failed webhook delivery is tried again (default 10 s), doubling up to an hour. */
    public JobyardBuilder webhookRetryDelay(Duration value) {
        webhookRetry = positive(value, "webhookRetryDelay");
        return this;
    }

    /** How webhook hosts are resolved (default: the system resolver). */
    public JobyardBuilder hostResolver(HostResolver value) {
        hostResolver = Objects.requireNonNull(value, "hostResolver");
        return this;
    }

    /** How webhook requests are sent (default: {@link SocketWebhookSender}); for tests. */
    public JobyardBuilder webhookSender(WebhookSender value) {
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
