package io.jobyard.examples.encryption;

import io.jobyard.adapter.storage.s3.S3ArtifactStore;
import io.jobyard.adapter.storage.s3.S3Clients;
import io.jobyard.adapter.storage.s3.S3Settings;
import io.jobyard.application.contract.ArtifactStoreContract;
import io.jobyard.application.port.out.ArtifactStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import javax.crypto.SecretKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Jobyard's ArtifactStore contract, passed by the encrypting store around the S3 store on a real S3 server, a fresh
 * bucket per test, multipart uploads starting below the contract's large blob.
 */
class EncryptingS3ArtifactStoreTest extends ArtifactStoreContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final long MULTIPART_THRESHOLD = 8L * 1024 * 1024;
    private static S3 server;

    private final SecretKey key = Keys.random();
    private final List<S3ArtifactStore> opened = new ArrayList<>();
    private S3Settings settings;

    @TempDir
    Path staging;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(S3ArtifactStore::close);
    }

    @Override
    protected ArtifactStore newStore() {
        settings = S3Settings.of(server.endpoint(), S3.REGION, "encrypted-" + BUCKETS.incrementAndGet(),
                        S3.ACCESS_KEY, S3.SECRET_KEY, staging)
                .withMultipart(MULTIPART_THRESHOLD, S3Settings.MIN_PART_SIZE);
        S3ArtifactStore s3 = open();
        s3.createBucketIfMissing();
        return new EncryptingArtifactStore(s3, key);
    }

    @Override
    protected ArtifactStore restart(ArtifactStore store) {
        return new EncryptingArtifactStore(open(), key);
    }

    @Override
    protected int largeBlobSize() {
        return (int) MULTIPART_THRESHOLD + 3 * 1024 * 1024 + 123;
    }

    /**
     * What a crash mid-upload leaves: a partial local staging file (of ciphertext) if the process died while
     * receiving, an unfinished multipart upload if it died while sending.
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
