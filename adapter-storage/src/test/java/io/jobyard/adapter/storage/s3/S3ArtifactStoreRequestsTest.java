package io.jobyard.adapter.storage.s3;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.StagedBlob;
import io.jobyard.application.port.out.StoredBlob;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.error.UnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 store against a real S3 server (S3Proxy, in process), counting the HTTP requests it makes. */
class S3ArtifactStoreRequestsTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final String KEY = "projects/12/jobs/345/artifacts/1/artifacts.zip";
    private static final long MIB = 1024 * 1024;

    private static S3ProxyServer server;

    @TempDir
    Path staging;
    private CountingHttpClient http;
    private S3Client client;
    private S3ArtifactStore store;
    private S3Settings settings;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.stop();
    }

    @BeforeEach
    void openStore() {
        settings = S3Settings.of(server.endpoint(), S3ProxyServer.REGION, "bucket-" + BUCKETS.incrementAndGet(),
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, staging)
                .withMultipart(8 * MIB, S3Settings.MIN_PART_SIZE);
        client = S3Clients.clientBuilder(settings)
                .httpClientBuilder(defaults -> http = new CountingHttpClient(
                        S3Clients.httpClientBuilder().buildWithDefaults(defaults)))
                .build();
        store = new S3ArtifactStore(settings, client, S3Clients.presigner(settings), Clock.systemUTC());
        store.createBucketIfMissing();
        http.reset();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aListingFetchesItsPagesOneAtATimeAsTheyAreConsumed() {
        for (int i = 0; i < 5; i++) {
            publish(randomBytes(10 + i), "projects/1/jobs/" + i + "/blob");
        }
        publish(randomBytes(10), "elsewhere/blob");
        S3ArtifactStore pagingByTwo = new S3ArtifactStore(settings, client, S3Clients.presigner(settings),
                Clock.systemUTC(), 2);
        Instant later = Instant.now().plus(Duration.ofMinutes(10));
        http.reset();

        try (Stream<StoredBlob> blobs = pagingByTwo.listBlobs("projects/", later)) {
            Iterator<StoredBlob> listing = blobs.iterator();
            assertThat(listing.next().key()).isEqualTo("projects/1/jobs/0/blob");
            assertThat(listing.next().key()).isEqualTo("projects/1/jobs/1/blob");
            assertThat(http.sent()).as("one page so far").hasSize(1);
            List<String> rest = new ArrayList<>();
            listing.forEachRemaining(blob -> rest.add(blob.key() + ":" + blob.size()));
            assertThat(rest).containsExactly("projects/1/jobs/2/blob:12", "projects/1/jobs/3/blob:13",
                    "projects/1/jobs/4/blob:14");
        }
        assertThat(http.sent()).hasSize(3).allSatisfy(sent -> {
            assertThat(sent.method()).isEqualTo("GET");
            assertThat(sent.query()).contains("list-type=2").contains("max-keys=2").contains("prefix=projects");
        });
    }

    @Test
    void aListingWhileTheStoreIsDownIsUnavailable() {
        S3Settings nowhere = S3Settings.of(URI.create("http://127.0.0.1:9"), S3ProxyServer.REGION, "b",
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, staging);
        try (S3ArtifactStore down = S3ArtifactStore.create(nowhere)) {
            assertThatThrownBy(() -> {
                try (Stream<StoredBlob> blobs = down.listBlobs("projects/", Instant.now())) {
                    blobs.findFirst();
                }
            }).isInstanceOf(UnavailableException.class);
        }
    }

    @Test
    void aRangedReadIsOneGetWithARangeHeaderAndNoHead() throws IOException {
        byte[] bytes = randomBytes(100_000);
        publish(bytes, KEY);
        http.reset();

        try (BlobContent content = store.read(KEY, new ByteRange(1000, 500))) {
            assertThat(content.totalSize()).isEqualTo(100_000);
            assertThat(content.offset()).isEqualTo(1000);
            assertThat(content.length()).isEqualTo(500);
            assertThat(content.stream().readAllBytes()).isEqualTo(slice(bytes, 1000, 500));
        }

        assertThat(http.sent()).singleElement().satisfies(sent -> {
            assertThat(sent.method()).isEqualTo("GET");
            assertThat(sent.range()).isEqualTo("bytes=1000-1499");
        });
    }

    @Test
    void anOpenEndedReadIsOneGetAndTakesTheTotalFromContentRange() throws IOException {
        byte[] bytes = randomBytes(10_000);
        publish(bytes, KEY);
        http.reset();

        try (BlobContent content = store.read(KEY, ByteRange.from(9_000))) {
            assertThat(content.totalSize()).isEqualTo(10_000);
            assertThat(content.length()).isEqualTo(1_000);
            assertThat(content.stream().readAllBytes()).isEqualTo(slice(bytes, 9_000, 1_000));
        }
        try (BlobContent whole = store.read(KEY, ByteRange.ALL)) {
            assertThat(whole.stream().readAllBytes()).isEqualTo(bytes);
        }

        assertThat(http.sent()).extracting(CountingHttpClient.Sent::method).containsExactly("GET", "GET");
    }

    @Test
    void aReadAtTheVeryEndAndAnEmptyObjectReadAsEmpty() throws IOException {
        publish(randomBytes(1_000), KEY);
        publish(new byte[0], "empty");
        http.reset();

        try (BlobContent atEnd = store.read(KEY, ByteRange.from(1_000))) {
            assertThat(atEnd.length()).isZero();
            assertThat(atEnd.totalSize()).isEqualTo(1_000);
            assertThat(atEnd.stream().readAllBytes()).isEmpty();
        }
        try (BlobContent empty = store.read("empty", ByteRange.ALL)) {
            assertThat(empty.totalSize()).isZero();
            assertThat(empty.stream().readAllBytes()).isEmpty();
        }
        // The read at the end: its 416 carries no Content-Range on S3Proxy, so the size costs one HEAD; the whole
        // (empty) object is one plain GET.
        assertThat(http.sent()).extracting(CountingHttpClient.Sent::method).containsExactly("GET", "HEAD", "GET");
    }

    @Test
    void aMissingObjectIsAPlainNotFound() {
        assertThatThrownBy(() -> store.read("projects/1/nothing.zip", ByteRange.ALL))
                .isInstanceOfSatisfying(NotFoundException.class,
                        e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.PLAIN));
        assertThat(store.size("projects/1/nothing.zip")).isEmpty();
    }

    @Test
    void stagingSendsNothingAndTheObjectOnlyAppearsOnPublish() throws IOException {
        byte[] bytes = randomBytes(50_000);

        StagedBlob staged = store.stage(new ByteArrayInputStream(bytes), 1_000_000);

        assertThat(http.sent()).isEmpty();
        assertThat(staged.size()).isEqualTo(50_000);
        assertThat(staged.sha256()).isEqualTo(sha256(bytes));
        try (BlobContent part = store.readStaged(staged, new ByteRange(10, 20))) {
            assertThat(part.stream().readAllBytes()).isEqualTo(slice(bytes, 10, 20));
        }
        assertThat(store.size(KEY)).isEmpty();

        store.publish(staged, KEY);

        assertThat(store.size(KEY)).contains(50_000L);
        assertThat(Files.list(staging)).isEmpty();
    }

    @Test
    void aSmallUploadIsOnePut() {
        StagedBlob staged = store.stage(new ByteArrayInputStream(randomBytes(1_000)), 10_000);
        http.reset();

        store.publish(staged, KEY);

        assertThat(http.sent()).extracting(CountingHttpClient.Sent::method).containsExactly("PUT");
    }

    @Test
    void aLargeUploadGoesUpInPartsAndReadsBackIdentical() throws IOException {
        byte[] bytes = randomBytes((int) (12 * MIB + 123));
        StagedBlob staged = store.stage(new ByteArrayInputStream(bytes), 100 * MIB);
        http.reset();

        store.publish(staged, KEY);

        // create + 3 parts (5 MiB, 5 MiB, 2 MiB + 123) + complete
        assertThat(http.sent()).extracting(CountingHttpClient.Sent::method)
                .containsExactly("POST", "PUT", "PUT", "PUT", "POST");
        assertThat(http.sent().get(1).query()).contains("partNumber=1").contains("uploadId=");
        assertThat(store.size(KEY)).contains((long) bytes.length);
        try (BlobContent content = store.read(KEY, ByteRange.ALL)) {
            assertThat(sha256(content.stream())).isEqualTo(sha256(bytes));
        }
        try (BlobContent acrossParts = store.read(KEY, new ByteRange(5 * MIB - 10, 20))) {
            assertThat(acrossParts.stream().readAllBytes()).isEqualTo(slice(bytes, (int) (5 * MIB - 10), 20));
        }
    }

    @Test
    void anUnfinishedMultipartUploadIsInvisibleAndCleanedUp() {
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket()).key(KEY)).uploadId();
        client.uploadPart(b -> b.bucket(bucket()).key(KEY).uploadId(uploadId).partNumber(1),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(randomBytes(1000)));

        assertThat(store.size(KEY)).isEmpty();
        assertThat(store.cleanupStaging(Duration.ofHours(1))).isZero();
        assertThat(client.listMultipartUploads(b -> b.bucket(bucket())).uploads()).hasSize(1);

        assertThat(store.cleanupStaging(Duration.ofSeconds(-60))).isEqualTo(1);
        assertThat(client.listMultipartUploads(b -> b.bucket(bucket())).uploads()).isEmpty();
        assertThat(store.size(KEY)).isEmpty();
    }

    @Test
    void anUploadThatFailsMidStreamLeavesNothingStagedOrStored() {
        InputStream dying = new InputStream() {
            private int left = 100_000;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("connection reset by runner");
                }
                return 'x';
            }
        };

        assertThatThrownBy(() -> store.stage(dying, 1_000_000)).isInstanceOf(UncheckedIOException.class);

        assertThat(staging).isEmptyDirectory();
        assertThat(http.sent()).isEmpty();
    }

    @Test
    void aPresignedUrlDownloadsTheObjectWithItsFilename() throws Exception {
        byte[] bytes = randomBytes(3_000);
        publish(bytes, KEY);

        Optional<URI> url = store.presignedUrl(KEY, Duration.ofMinutes(5), "artifacts ü.zip");

        assertThat(url).isPresent();
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(url.get()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        // The value Jobyard sends when it streams the archive itself: one rule, Rails'.
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"artifacts u.zip\"; filename*=UTF-8''artifacts%20%C3%BC.zip");
    }

    @Test
    void aPresignedUrlIsRefusedWithoutItsSignature() throws Exception {
        publish(randomBytes(10), KEY);
        URI url = store.presignedUrl(KEY, Duration.ofMinutes(5), "a.zip").orElseThrow();
        URI unsigned = URI.create(url.toString().replaceAll("X-Amz-Signature=[0-9a-f]+", "X-Amz-Signature=00"));

        HttpResponse<Void> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(unsigned).GET().build(), HttpResponse.BodyHandlers.discarding());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void closingAReadEarlyDoesNotDownloadTheRest() throws IOException {
        publish(randomBytes((int) (4 * MIB)), KEY);
        http.reset();

        try (BlobContent content = store.read(KEY, ByteRange.ALL)) {
            assertThat(content.stream().readNBytes(10)).hasSize(10);
        }
        // The next request still works: an aborted connection is replaced, not reused half-read.
        try (BlobContent again = store.read(KEY, new ByteRange(0, 10))) {
            assertThat(again.stream().readAllBytes()).hasSize(10);
        }
        assertThat(http.sent()).hasSize(2);
    }

    @Test
    void keysThatWouldAliasOthersAreRefused() {
        StagedBlob staged = store.stage(new ByteArrayInputStream(new byte[1]), 10);

        for (String key : List.of("../x", "/abs", "a//b", "a/./b", "a\\b")) {
            assertThatThrownBy(() -> store.publish(staged, key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(http.sent()).isEmpty();
    }

    private String bucket() {
        return "bucket-" + BUCKETS.get();
    }

    private void publish(byte[] bytes, String key) {
        store.publish(store.stage(new ByteArrayInputStream(bytes), Long.MAX_VALUE), key);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] slice(byte[] bytes, int offset, int length) {
        return java.util.Arrays.copyOfRange(bytes, offset, offset + length);
    }

    private static String sha256(byte[] bytes) {
        return sha256(new ByteArrayInputStream(bytes));
    }

    private static String sha256(InputStream in) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
