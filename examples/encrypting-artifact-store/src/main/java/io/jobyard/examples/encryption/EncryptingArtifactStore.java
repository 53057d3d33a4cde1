package io.jobyard.examples.encryption;

import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.StagedBlob;
import io.jobyard.application.port.out.StoredBlob;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.RangeNotSatisfiableException;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An {@link ArtifactStore} that encrypts every blob at rest with AES-256-GCM before handing it to another store
 * (filesystem, S3, anything that passes the ArtifactStore contract), and decrypts on the way out. It streams both ways:
 * at most two chunks of a blob are in memory at a time, whatever its size.
 *
 * <h2>Format</h2>
 * A stored blob is a header followed by chunks:
 * <pre>
 *   header  = "JYE1" | wrapNonce (12) | wrappedKey (32 + 16 tag)          = 64 bytes
 *   chunk i = AES-GCM(dataKey, nonce = 0x00000000 | i (7 bytes) | last?1:0, plaintext[i·C, (i+1)·C)) = ≤ C + 16 bytes
 * </pre>
 * Each blob has its own random 256-bit data key, wrapped with the master key (AES-GCM, the magic as associated data).
 * Plaintext chunks are {@value #CHUNK_SIZE} bytes, the last one shorter (or empty, for an empty blob: there is always
 * one chunk, so an emptied blob cannot pass for a valid one). The chunk's index and a "last" flag are part of its
 * nonce, so chunks cannot be reordered, dropped or the blob truncated without the tag check failing. Because the
 * chunks have a fixed size, a ranged read fetches only the chunks that cover the range (plus the header) from the
 * store underneath: the contract's ranged reads stay ranged.
 *
 * <h2>What it does not do</h2>
 * The blob's key (its path) is not authenticated: the services stage before they know the key, so someone with write
 * access to the storage could swap two whole encrypted blobs undetected. Sizes are visible in the ciphertext's size.
 * There is one master key; rotating it means a key identifier in the header and re-wrapping, left out of this example.
 * {@link #presignedUrl} is always empty: a URL to the ciphertext would be no use to a client.
 */
public final class EncryptingArtifactStore implements ArtifactStore {
    /** The plaintext size of every chunk but the last. */
    public static final int CHUNK_SIZE = 64 * 1024;

    private static final byte[] MAGIC = {'J', 'Y', 'E', '1'};
    private static final int NONCE_SIZE = 12;
    private static final int TAG_SIZE = 16;
    private static final int DATA_KEY_SIZE = 32;
    static final int HEADER_SIZE = MAGIC.length + NONCE_SIZE + DATA_KEY_SIZE + TAG_SIZE;
    private static final int SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
    private static final String STAGING_SEPARATOR = "|";

    private final ArtifactStore delegate;
    private final SecretKey masterKey;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param delegate  where the ciphertext is kept
     * @param masterKey a 256-bit AES key; whoever holds it can read every blob, so keep it out of the storage
     */
    public EncryptingArtifactStore(ArtifactStore delegate, SecretKey masterKey) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
        if (!"AES".equalsIgnoreCase(masterKey.getAlgorithm()) || masterKey.getEncoded() == null
                || masterKey.getEncoded().length != DATA_KEY_SIZE) {
            throw new IllegalArgumentException("the master key must be a 256-bit AES key");
        }
    }

    // ------------------------------------------------------------------------------------------------ sizes

    /** The stored size of a blob of {@code plaintextSize} bytes. */
    static long sealedSize(long plaintextSize) {
        return HEADER_SIZE + plaintextSize + chunkCount(plaintextSize) * TAG_SIZE;
    }

    /** The plaintext size of a stored blob of {@code sealedSize} bytes. */
    static long plaintextSize(long sealedSize) {
        long body = sealedSize - HEADER_SIZE;
        long fullChunks = body / SEALED_CHUNK_SIZE;
        long rest = body % SEALED_CHUNK_SIZE;
        if (body < TAG_SIZE || (rest != 0 && rest < TAG_SIZE)) {
            throw new IllegalStateException("a stored blob of " + sealedSize + " bytes was not written by "
                    + EncryptingArtifactStore.class.getSimpleName());
        }
        return rest == 0 ? fullChunks * CHUNK_SIZE : fullChunks * CHUNK_SIZE + rest - TAG_SIZE;
    }

    private static long chunkCount(long plaintextSize) {
        return Math.max(1, ceilDiv(plaintextSize, CHUNK_SIZE));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    // ---------------------------------------------------------------------------------------------- writing

    @Override
    public StagedBlob stage(InputStream content, long maxBytes) {
        Objects.requireNonNull(content, "content");
        byte[] dataKey = new byte[DATA_KEY_SIZE];
        random.nextBytes(dataKey);
        Sealing sealing = new Sealing(content, header(dataKey), new SecretKeySpec(dataKey, "AES"));
        // sealedSize grows strictly with the plaintext's size, so the store underneath refuses exactly the plaintext
        // that is over the limit — and cleans up after itself as its contract requires.
        long sealedLimit = maxBytes >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : sealedSize(maxBytes);
        StagedBlob sealed = delegate.stage(sealing, sealedLimit);
        return new StagedBlob(sealed.stagingId() + STAGING_SEPARATOR + sealed.sha256(), sealing.plaintextSize(),
                sealing.plaintextSha256());
    }

    @Override
    public BlobContent readStaged(StagedBlob staged, ByteRange range) {
        StagedBlob sealed = sealedOf(staged);
        return open(range, sealedRange -> delegate.readStaged(sealed, sealedRange));
    }

    @Override
    public void publish(StagedBlob staged, String key) {
        delegate.publish(sealedOf(staged), key);
    }

    @Override
    public void discard(StagedBlob staged) {
        delegate.discard(sealedOf(staged));
    }

    /** The delegate's handle for one of ours: its staging id and digest travel in ours, its size follows from ours. */
    private static StagedBlob sealedOf(StagedBlob staged) {
        String id = staged.stagingId();
        int separator = id.lastIndexOf(STAGING_SEPARATOR);
        if (separator < 0) {
            throw NotFoundException.plain("staged upload " + id);
        }
        return new StagedBlob(id.substring(0, separator), sealedSize(staged.size()), id.substring(separator + 1));
    }

    // ---------------------------------------------------------------------------------------------- reading

    @Override
    public BlobContent read(String key, ByteRange range) {
        return open(range, sealedRange -> delegate.read(key, sealedRange));
    }

    private interface SealedReader {
        BlobContent read(ByteRange sealedRange);
    }

    /** How often a read starts over when a concurrent publish replaced the blob between its header and its body. */
    private static final int ATTEMPTS = 3;

    /**
     * Reads the header, then the chunks that cover {@code range}, in two reads of the store underneath. A publish
     * under the same key in between would pair one blob's header with another's chunks: the first chunk then fails
     * its tag (its data key is another) or the sizes differ, and the read starts over. Every chunk after the first
     * comes from the same read of the store underneath, which sees one whole blob.
     */
    private BlobContent open(ByteRange range, SealedReader reader) {
        IOException failure = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long sealedSize;
            SecretKeySpec dataKey;
            try (BlobContent header = reader.read(new ByteRange(0, HEADER_SIZE))) {
                sealedSize = header.totalSize();
                dataKey = unwrap(header.stream().readNBytes(HEADER_SIZE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long size = plaintextSize(sealedSize);
            if (range.offset() > size) {
                throw new RangeNotSatisfiableException(size);
            }
            long length = range.lengthWithin(size);
            if (length == 0) {
                return new BlobContent(InputStream.nullInputStream(), size, range.offset(), 0);
            }
            long firstChunk = range.offset() / CHUNK_SIZE;
            long lastChunk = (range.offset() + length - 1) / CHUNK_SIZE;
            long sealedOffset = HEADER_SIZE + firstChunk * SEALED_CHUNK_SIZE;
            long sealedEnd = Math.min(sealedSize, HEADER_SIZE + (lastChunk + 1) * SEALED_CHUNK_SIZE);
            BlobContent sealed = reader.read(new ByteRange(sealedOffset, sealedEnd - sealedOffset));
            try {
                if (sealed.totalSize() != sealedSize) {
                    throw new IOException("the blob changed between its header and its chunks");
                }
                Opening opening = new Opening(sealed.stream(), dataKey, firstChunk, chunkCount(size), size);
                opening.openNext();
                opening.skipNBytes(range.offset() - firstChunk * CHUNK_SIZE);
                return new BlobContent(new Limited(opening, length), size, range.offset(), length);
            } catch (IOException e) {
                sealed.close();
                failure = e;
            }
        }
        throw new UncheckedIOException(failure);
    }

    @Override
    public Optional<Long> size(String key) {
        return delegate.size(key).map(EncryptingArtifactStore::plaintextSize);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public int cleanupStaging(Duration olderThan) {
        return delegate.cleanupStaging(olderThan);
    }

    @Override
    public Stream<StoredBlob> listBlobs(String keyPrefix, Instant modifiedBefore) {
        return delegate.listBlobs(keyPrefix, modifiedBefore)
                .map(blob -> new StoredBlob(blob.key(), plaintextSize(blob.size()), blob.lastModified()));
    }

    /** Always empty: the store underneath would hand out ciphertext. */
    @Override
    public Optional<URI> presignedUrl(String key, Duration validFor, String downloadFilename) {
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------------------ keys

    private byte[] header(byte[] dataKey) {
        byte[] nonce = new byte[NONCE_SIZE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(TAG_SIZE * 8, nonce));
            cipher.updateAAD(MAGIC);
            byte[] wrapped = cipher.doFinal(dataKey);
            return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).put(nonce).put(wrapped).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private SecretKeySpec unwrap(byte[] header) throws IOException {
        if (header.length != HEADER_SIZE || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException("not a blob written by " + getClass().getSimpleName());
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, masterKey,
                    new GCMParameterSpec(TAG_SIZE * 8, header, MAGIC.length, NONCE_SIZE));
            cipher.updateAAD(MAGIC);
            return new SecretKeySpec(cipher.doFinal(header, MAGIC.length + NONCE_SIZE, DATA_KEY_SIZE + TAG_SIZE),
                    "AES");
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IOException("the blob's key does not open with this master key (wrong key, or tampered)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static Cipher chunkCipher(int mode, SecretKeySpec dataKey, long index, boolean last) {
        byte[] nonce = new byte[NONCE_SIZE];
        for (int i = 0; i < 7; i++) {
            nonce[4 + i] = (byte) (index >>> (8 * (6 - i)));
        }
        nonce[NONCE_SIZE - 1] = (byte) (last ? 1 : 0);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, dataKey, new GCMParameterSpec(TAG_SIZE * 8, nonce));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    // --------------------------------------------------------------------------------------------- streams

    /** Reads plaintext, yields the header and the sealed chunks; digests and counts the plaintext on the way. */
    private static final class Sealing extends InputStream {
        private final InputStream plaintext;
        private final SecretKeySpec dataKey;
        private final MessageDigest sha256 = newSha256();
        private byte[] ahead;
        private long index;
        private long size;
        private boolean done;
        private ByteArrayInputStream out;

        Sealing(InputStream plaintext, byte[] header, SecretKeySpec dataKey) {
            this.plaintext = plaintext;
            this.dataKey = dataKey;
            this.out = new ByteArrayInputStream(header);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (true) {
                int n = out.read(target, offset, length);
                if (n > 0) {
                    return n;
                }
                if (done) {
                    return -1;
                }
                sealNext();
            }
        }

        /** Seals the next chunk; reading one chunk ahead is how it knows which one is last. */
        private void sealNext() throws IOException {
            byte[] chunk = ahead != null ? ahead : plaintext.readNBytes(CHUNK_SIZE);
            ahead = chunk.length < CHUNK_SIZE ? null : plaintext.readNBytes(CHUNK_SIZE);
            boolean last = ahead == null || ahead.length == 0;
            sha256.update(chunk);
            size += chunk.length;
            try {
                out = new ByteArrayInputStream(chunkCipher(Cipher.ENCRYPT_MODE, dataKey, index++, last).doFinal(chunk));
            } catch (GeneralSecurityException e) {
                throw new IOException("sealing a chunk failed", e);
            }
            done = last;
        }

        long plaintextSize() {
            return size;
        }

        String plaintextSha256() {
            return HexFormat.of().formatHex(sha256.digest());
        }
    }

    /** Reads sealed chunks from {@code firstChunk} on and yields their plaintext, checking every tag. */
    private static final class Opening extends InputStream {
        private final InputStream sealed;
        private final SecretKeySpec dataKey;
        private final long chunks;
        private final long size;
        private long index;
        private ByteArrayInputStream out = new ByteArrayInputStream(new byte[0]);

        Opening(InputStream sealed, SecretKeySpec dataKey, long firstChunk, long chunks, long size) {
            this.sealed = sealed;
            this.dataKey = dataKey;
            this.index = firstChunk;
            this.chunks = chunks;
            this.size = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (true) {
                int n = out.read(target, offset, length);
                if (n > 0) {
                    return n;
                }
                if (index >= chunks) {
                    return -1;
                }
                openNext();
            }
        }

        void openNext() throws IOException {
            boolean last = index == chunks - 1;
            int plainLength = last ? (int) (size - index * CHUNK_SIZE) : CHUNK_SIZE;
            byte[] chunk = sealed.readNBytes(plainLength + TAG_SIZE);
            if (chunk.length < plainLength + TAG_SIZE) {
                throw new IOException("the stored blob ends early, in chunk " + index);
            }
            try {
                out = new ByteArrayInputStream(chunkCipher(Cipher.DECRYPT_MODE, dataKey, index, last).doFinal(chunk));
            } catch (GeneralSecurityException e) {
                throw new IOException("chunk " + index + " of the stored blob fails its integrity check", e);
            }
            index++;
        }

        @Override
        public void close() throws IOException {
            sealed.close();
        }
    }

    /** Yields at most {@code remaining} bytes of a stream and closes it. */
    private static final class Limited extends InputStream {
        private final InputStream in;
        private long remaining;

        Limited(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(target, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
