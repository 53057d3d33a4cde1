package io.jobyard.adapter.storage.s3;

import io.jobyard.application.contract.ArtifactStoreContract;
import io.jobyard.application.port.out.ArtifactStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The artifact store contract on a real S3 server (S3Proxy in process), a fresh bucket per test. A restart is a new
 * store over the same bucket and staging directory; multipart uploads start below the contract's large blob.
 */
class S3ArtifactStoreTest extends ArtifactStoreContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final long MULTIPART_THRESHOLD = 8L * 1024 * 1024;
    private static S3ProxyServer server;

    @TempDir
    Path staging;
    private S3Settings settings;
    private final List<S3ArtifactStore> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.stop();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(S3ArtifactStore::close);
    }

    @Override
    protected ArtifactStore newStore() {
        settings = S3Settings.of(server.endpoint(), S3ProxyServer.REGION, "contract-" + BUCKETS.incrementAndGet(),
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, staging)
                .withMultipart(MULTIPART_THRESHOLD, S3Settings.MIN_PART_SIZE);
        S3ArtifactStore store = open();
        store.createBucketIfMissing();
        return store;
    }

    @Override
    protected ArtifactStore restart(ArtifactStore store) {
        return open();
    }

    @Override
    protected int largeBlobSize() {
        return (int) MULTIPART_THRESHOLD + 3 * 1024 * 1024 + 123;
    }

    /**
     * A process killed mid-upload leaves a partial local staging file if it died while receiving, or an unfinished
     * multipart upload with some parts if it died while sending: leave both.
     */
    @Override
    protected void simulateCrashMidStage(ArtifactStore store, byte[] writtenSoFar) {
        try {
            Files.write(staging.resolve(UUID.randomUUID() + ".part"), writtenSoFar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (S3Client client = S3Clients.clientBuilder(settings).build()) {
            String key = "projects/1/crashed.zip";
            String uploadId = client.createMultipartUpload(b -> b.bucket(settings.bucket()).key(key)).uploadId();
            client.uploadPart(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(writtenSoFar));
        }
    }

    private S3ArtifactStore open() {
        S3ArtifactStore store = S3ArtifactStore.create(settings);
        opened.add(store);
        return store;
    }
}
