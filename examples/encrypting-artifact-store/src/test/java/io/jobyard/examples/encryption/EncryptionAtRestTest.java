package io.jobyard.examples.encryption;

import io.jobyard.adapter.storage.fs.FilesystemArtifactStore;
import io.jobyard.application.memory.InMemoryArtifactStore;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.StagedBlob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.SecretKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the contract cannot see: the bytes at rest are ciphertext, tampering is caught, reads stay ranged. */
class EncryptionAtRestTest {
    private final SecretKey key = Keys.random();

    @TempDir
    Path dataDirectory;

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] readAll(BlobContent content) {
        try (content) {
            return content.stream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String publish(ArtifactStore store, byte[] content) {
        String key = "projects/1/jobs/2/artifacts.zip";
        store.publish(store.stage(new ByteArrayInputStream(content), Long.MAX_VALUE), key);
        return key;
    }

    private List<Path> filesAtRest() throws IOException {
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void theBytesAtRestAreNotThePlaintextAndSizesAreExact() throws IOException {
        byte[] secret = "the deploy key is hunter2 ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        ArtifactStore store = new EncryptingArtifactStore(new FilesystemArtifactStore(dataDirectory), key);

        String blob = publish(store, secret);

        List<Path> files = filesAtRest();
        assertThat(files).hasSize(1);
        byte[] atRest = Files.readAllBytes(files.get(0));
        assertThat(atRest).hasSize((int) EncryptingArtifactStore.sealedSize(secret.length));
        assertThat(new String(atRest, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
        assertThat(store.size(blob)).contains((long) secret.length);
        assertThat(readAll(store.read(blob, ByteRange.ALL))).isEqualTo(secret);
    }

    @Test
    void sizesRoundTripAtEveryChunkBoundary() {
        int c = EncryptingArtifactStore.CHUNK_SIZE;
        for (long size : new long[]{0, 1, c - 1, c, c + 1, 2L * c, 2L * c + 17, 1L << 40}) {
            assertThat(EncryptingArtifactStore.plaintextSize(EncryptingArtifactStore.sealedSize(size))).isEqualTo(size);
        }
    }

    @Test
    void aTamperedChunkFailsTheReadInsteadOfReturningWrongBytes() throws IOException {
        byte[] content = bytes(3 * EncryptingArtifactStore.CHUNK_SIZE + 5);
        ArtifactStore store = new EncryptingArtifactStore(new FilesystemArtifactStore(dataDirectory), key);
        String blob = publish(store, content);
        Path file = filesAtRest().get(0);
        byte[] atRest = Files.readAllBytes(file);
        atRest[atRest.length - 100] ^= 1; // in the last chunk
        Files.write(file, atRest);

        assertThat(readAll(store.read(blob, new ByteRange(0, 1000)))).isEqualTo(java.util.Arrays.copyOf(content, 1000));
        assertThatThrownBy(() -> readAll(store.read(blob, ByteRange.ALL))).hasRootCauseInstanceOf(
                javax.crypto.AEADBadTagException.class);
    }

    @Test
    void aTruncatedBlobIsCaught() throws IOException {
        byte[] content = bytes(2 * EncryptingArtifactStore.CHUNK_SIZE);
        ArtifactStore store = new EncryptingArtifactStore(new FilesystemArtifactStore(dataDirectory), key);
        String blob = publish(store, content);
        Path file = filesAtRest().get(0);
        byte[] atRest = Files.readAllBytes(file);
        // Drop the whole last chunk: what is left is a well-formed size for a one-chunk blob whose chunk is not last.
        Files.write(file, java.util.Arrays.copyOf(atRest, atRest.length - EncryptingArtifactStore.CHUNK_SIZE - 16));

        assertThatThrownBy(() -> readAll(store.read(blob, ByteRange.ALL))).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void anotherKeyCannotRead() {
        ArtifactStore store = new EncryptingArtifactStore(new FilesystemArtifactStore(dataDirectory), key);
        String blob = publish(store, bytes(1000));
        ArtifactStore wrongKey = new EncryptingArtifactStore(new FilesystemArtifactStore(dataDirectory), Keys.random());

        assertThatThrownBy(() -> wrongKey.read(blob, ByteRange.ALL)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("master key");
    }

    @Test
    void aRangedReadFetchesOnlyTheHeaderAndTheChunksThatCoverIt() {
        int c = EncryptingArtifactStore.CHUNK_SIZE;
        byte[] content = bytes(100 * c);
        AtomicLong fetched = new AtomicLong();
        ArtifactStore counting = new CountingStore(new InMemoryArtifactStore(), fetched);
        ArtifactStore store = new EncryptingArtifactStore(counting, key);
        String blob = publish(store, content);

        byte[] middle = readAll(store.read(blob, new ByteRange(50L * c - 10, 20)));

        assertThat(middle).isEqualTo(java.util.Arrays.copyOfRange(content, 50 * c - 10, 50 * c + 10));
        assertThat(fetched.get()).as("header + the two chunks around the boundary")
                .isEqualTo(EncryptingArtifactStore.HEADER_SIZE + 2L * (c + 16));
    }

    @Test
    void stagingPullsThePlaintextAChunkAtATimeAsTheStoreUnderneathReads() throws IOException {
        AtomicLong pulled = new AtomicLong();
        InputStream plaintext = new InputStream() { // 1 GiB that is never all there at once
            private long left = 1L << 30;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 7);
                left -= n;
                pulled.addAndGet(n);
                return n;
            }
        };
        long[] pulledWhenTheStoreHadReadTheFirstChunk = new long[1];
        CountingStore probe = new CountingStore(new InMemoryArtifactStore(), new AtomicLong()) {
            @Override
            public StagedBlob stage(InputStream sealed, long maxBytes) {
                try {
                    sealed.readNBytes(EncryptingArtifactStore.HEADER_SIZE + 100);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                pulledWhenTheStoreHadReadTheFirstChunk[0] = pulled.get();
                throw new IllegalStateException("probe done");
            }
        };

        assertThatThrownBy(() -> new EncryptingArtifactStore(probe, key).stage(plaintext, Long.MAX_VALUE))
                .hasMessage("probe done");
        assertThat(pulledWhenTheStoreHadReadTheFirstChunk[0]).as("one chunk and the one after it, no more")
                .isEqualTo(2L * EncryptingArtifactStore.CHUNK_SIZE);
    }
}
