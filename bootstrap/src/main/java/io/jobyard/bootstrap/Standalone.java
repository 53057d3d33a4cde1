package io.jobyard.bootstrap;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.domain.error.JobyardException;
import io.jobyard.domain.error.UnavailableException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** The standalone server assembled from a {@link Configuration}: database pool, Jobyard, HTTP server, sweepers. */
public final class Standalone implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);
    /** How long a start waits for a database that does not answer yet. */
    static final Duration DATABASE_WAIT = Duration.ofSeconds(60);
    private static final Duration DATABASE_RETRY_PAUSE = Duration.ofMillis(500);

    private final Jobyard jobyard;
    private final JobyardServer server;
    private final Optional<String> firstAdministratorToken;
    private final Optional<Future<Long>> orphanCollectionAtStart;
    private final RequestWarmup warmup;

    private Standalone(Jobyard jobyard, JobyardServer server, Optional<String> firstAdministratorToken,
                       Optional<Future<Long>> orphanCollectionAtStart, RequestWarmup warmup) {
        this.warmup = warmup;
        this.jobyard = jobyard;
        this.server = server;
        this.firstAdministratorToken = firstAdministratorToken;
        this.orphanCollectionAtStart = orphanCollectionAtStart;
    }

    public static Standalone start(Configuration c) {
        return start(c, RequestWarmup::new);
    }

    /** For tests: the warm-up is made by {@code warmupFactory} from the server's settings. */
    static Standalone start(Configuration c,
                            Function<UnaryOperator<JobyardBuilder>, RequestWarmup> warmupFactory) {
        // Before the database opens: what was stored earlier than this, another process stored (see below).
        Instant startedAt = Instant.now();
        HikariDataSource dataSource;
        try {
            Files.createDirectories(c.dataDir());
            dataSource = DataSources.create(DataSources.Settings.of(c.dbUrl(), c.dbUser(), c.dbPassword(),
                    c.dbPoolSize()));
        } catch (IOException | UncheckedIOException e) {
            throw new StartupException("data directory " + c.dataDir() + " is not writable (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new StartupException("database " + c.dbUrl() + " is not reachable (" + rootMessage(e) + ")", e);
        }
        byte[] encryptionKey;
        try {
            encryptionKey = c.encryptionKey() != null ? EncryptionKeys.decode(c.encryptionKey())
                    : EncryptionKeys.loadOrCreate(c.encryptionKeyFile());
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StartupException(e.getMessage(), e);
        }
        Jobyard jobyard;
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
            JobyardBuilder builder = serverSettings(c, Jobyard.builder())
                    .meterRegistry(metrics)
                    .ownedDataSource(dataSource, dataSource)
                    .filesystemStorage(c.dataDir())
                    .encryptionKey(encryptionKey);
            if (c.s3() != null) {
                builder.artifactStore(StorageFactory.s3(c.s3(), c.dataDir().resolve("s3-staging"))).redirectDownloads(c.s3().redirectDownloads());
            }
            jobyard = buildWaitingForTheDatabase(builder);
        } catch (JobyardException | IllegalStateException | UncheckedIOException e) {
            dataSource.close();
            throw new StartupException(rootMessage(e), e);
        }
        if (ownsItsStorage(c)) {
            // Nothing can still be uploading: whatever an earlier process left in staging died with it.
            jobyard.removeInterruptedUploads(Duration.ZERO);
        }
        Optional<String> token = jobyard.ensureFirstAdministrator(c.adminToken());
        // The warm-up runs on a throwaway project of its own while this server already answers; /-/readiness stays
        // red until it is over (JOBYARD_WARMUP bounds it), so a load balancer sends traffic to compiled code.
        RequestWarmup warmup = c.warmup().isZero() ? RequestWarmup.disabled()
                : warmupFactory.apply(builder -> serverSettings(c, builder));
        JobyardServer server;
        try {
            server = new JobyardServer(c.bind(), c.port(), jobyard.httpHandler(), c.shutdownGrace(),
                    () -> warmup.isDone() && jobyard.ready(), new MetricsScrapeHandler(metrics, c.metricsToken()),
                    c.serverLimits());
            if (c.metricsPort() != null) {
                server.metricsListener(c.metricsBind(), c.metricsPort());
            }
            server.start();
        } catch (RuntimeException e) {
            jobyard.close();
            throw new StartupException("cannot listen on " + c.bind() + ":" + c.port() + " (" + rootMessage(e) + ")",
                    e);
        }
        warmup.start(c.warmup());
        jobyard.startBackgroundWork(c.sweepInterval());
        Optional<Future<Long>> orphans = Optional.empty();
        if (ownsItsStorage(c)) {
            // Nothing stored before this start can still be recorded: an artifact blob without a record is a crash's
            // litter, collected now rather than after the grace period (new uploads are newer, so never listed).
            orphans = Optional.of(jobyard.collectOrphanBlobsInBackground(startedAt));
        }
        return new Standalone(jobyard, server, token, orphans, warmup);
    }

    /** The settings the server and its warm-up's throwaway Jobyard share: everything but database, storage and key. */
    private static JobyardBuilder serverSettings(Configuration c, JobyardBuilder builder) {
        return builder
                    .externalUrl(c.externalUrl())
                    .runnerLongPolling(c.runnerLongPoll())
                    .bodyTimeouts(c.httpBodyTimeout(), c.httpBodyIdleTimeout())
                    .bodyBuffer(c.httpBodyBuffer())
                    .defaultExpiry(c.artifactDefaultExpiry())
                    .orphanGrace(c.orphanGrace())
                    .tokenLifetime(c.tokenLifetime())
                    .authenticationThrottle(c.authThrottle())
                    .pipelineLimits(c.pipelineLimits())
                    .eventRetention(c.eventRetention())
                    .webhookTimeout(c.webhookTimeout())
                    .webhookRetryDelay(c.webhookRetryDelay())
                    .liveLog(c.liveLog())
                    .sessions(c.sessions())
                    .changeFeedDelay(c.changeFeedDelay())
                    .traceArchiving(c.traceArchiving())
                    .limits(new ArtifactLimits(c.maxArtifactSize(), ArtifactLimits.DEFAULTS.maxEntries(),
                            ArtifactLimits.DEFAULTS.maxUncompressedSize(), c.maxLogSize()));
    }

    /**
     * A database that is still starting (a PostgreSQL container beside this one, an H2 file opened on a busy machine)
     * is waited for rather than ending the start; one that stays away is reported after {@link #DATABASE_WAIT}.
     */
    private static Jobyard buildWaitingForTheDatabase(JobyardBuilder builder) {
        long deadline = System.nanoTime() + DATABASE_WAIT.toNanos();
        boolean told = false;
        while (true) {
            try {
                return builder.build();
            } catch (UnavailableException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                if (!told) {
                    LOG.info("Waiting up to {} s for the database ({})", DATABASE_WAIT.toSeconds(), rootMessage(e));
                    told = true;
                }
                try {
                    Thread.sleep(DATABASE_RETRY_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Embedded H2 locks its database file for one process, and the filesystem storage sits beside it in the data
     * directory, so having opened the database means no other server uses this storage (unless H2 runs as a server
     * or in its mixed mode). With PostgreSQL several servers may share a storage directory, and an S3 bucket is shared
     * anyway; there only the sweep's age limit is safe.
     */
    private static boolean ownsItsStorage(Configuration c) {
        String url = c.dbUrl().toLowerCase(java.util.Locale.ROOT);
        return c.s3() == null && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:")
                && !url.startsWith("jdbc:h2:ssl:") && !url.contains("auto_server=true");
    }

    public int port() {
        return server.port();
    }

    /** The port of the metrics' own listener, when {@code JOBYARD_METRICS_PORT} gives them one. */
    public java.util.OptionalInt metricsPort() {
        return server.metricsPort();
    }

    public Jobyard jobyard() {
        return jobyard;
    }

    /**
     * The collection of orphaned blobs this start runs in the background (yielding how many it deleted); present only
     * when the server alone owns its storage (embedded H2 and filesystem storage).
     */
    public Optional<Future<Long>> orphanCollectionAtStart() {
        return orphanCollectionAtStart;
    }

    /**
     * The warm-up before readiness ({@code JOBYARD_WARMUP}): completes, once over, with how many requests it made on
     * its throwaway project (0 when disabled or failed at once).
     */
    public CompletableFuture<Long> warmup() {
        return warmup.result();
    }

    /** The generated administrator token, present only on the very first start of an empty installation. */
    public Optional<String> firstAdministratorToken() {
        return firstAdministratorToken;
    }

    /** Stops accepting, lets in-flight requests finish within the grace period, then closes the pool. */
    @Override
    public void close() {
        warmup.close();
        jobyard.releaseHeldRequests();
        server.close();
        jobyard.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
