package io.jobyard.bootstrap;

import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.domain.error.JobyardException;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;

/** The standalone server assembled from a {@link Configuration}: database pool, Jobyard, HTTP server, sweepers. */
public final class Standalone implements AutoCloseable {
    private final Jobyard jobyard;
    private final JobyardServer server;
    private final Optional<String> firstAdministratorToken;

    private Standalone(Jobyard jobyard, JobyardServer server, Optional<String> firstAdministratorToken) {
        this.jobyard = jobyard;
        this.server = server;
        this.firstAdministratorToken = firstAdministratorToken;
    }

    public static Standalone start(Configuration c) {
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
        Jobyard jobyard;
        try {
            Jobyard.Builder builder = Jobyard.builder()
                    .ownedDataSource(dataSource, dataSource)
                    .filesystemStorage(c.dataDir())
                    .externalUrl(c.externalUrl())
                    .defaultExpiry(c.artifactDefaultExpiry())
                    .limits(new ArtifactLimits(c.maxArtifactSize(), ArtifactLimits.DEFAULTS.maxEntries(),
                            ArtifactLimits.DEFAULTS.maxUncompressedSize(), c.maxLogSize()));
            if (c.s3() != null) {
                builder.artifactStore(StorageFactory.s3(c.s3(), c.dataDir().resolve("s3-staging"))).redirectDownloads(c.s3().redirectDownloads());
            }
            jobyard = builder.build();
        } catch (JobyardException | IllegalStateException | UncheckedIOException e) {
            dataSource.close();
            throw new StartupException(rootMessage(e), e);
        }
        if (ownsItsStorage(c)) {
            // Nothing can still be uploading: whatever an earlier process left in staging died with it.
            jobyard.removeInterruptedUploads(Duration.ZERO);
        }
        Optional<String> token = jobyard.ensureFirstAdministrator(c.adminToken());
        JobyardServer server;
        try {
            server = new JobyardServer(c.bind(), c.port(), jobyard.httpHandler(), c.shutdownGrace(),
                    jobyard::ready).start();
        } catch (RuntimeException e) {
            jobyard.close();
            throw new StartupException("cannot listen on " + c.bind() + ":" + c.port() + " (" + rootMessage(e) + ")",
                    e);
        }
        jobyard.startBackgroundWork(c.sweepInterval());
        return new Standalone(jobyard, server, token);
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

    public Jobyard jobyard() {
        return jobyard;
    }

    /** The generated administrator token, present only on the very first start of an empty installation. */
    public Optional<String> firstAdministratorToken() {
        return firstAdministratorToken;
    }

    /** Stops accepting, lets in-flight requests finish within the grace period, then closes the pool. */
    @Override
    public void close() {
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
