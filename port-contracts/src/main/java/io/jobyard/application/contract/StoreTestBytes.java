package io.jobyard.application.contract;

import io.jobyard.application.port.out.BlobContent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Byte helpers the store contracts share. */
final class StoreTestBytes {
    private StoreTestBytes() {
    }

    /** Deterministic bytes that differ per {@code seed}, so a mix-up between two blobs cannot go unnoticed. */
    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the content whole, checking it yields exactly the length it announced, and closes it. */
    static byte[] readAll(BlobContent content) {
        try (content) {
            byte[] bytes = content.stream().readAllBytes();
            assertThat(bytes.length).as("bytes yielded vs length announced").isEqualTo(content.length());
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] slice(byte[] bytes, long offset, long length) {
        byte[] slice = new byte[(int) length];
        System.arraycopy(bytes, (int) offset, slice, 0, (int) length);
        return slice;
    }

    /** A body that yields {@code prefix} and then fails, as a dropped client connection does. */
    static InputStream failingAfter(byte[] prefix) {
        return new InputStream() {
            private final InputStream delivered = new ByteArrayInputStream(prefix);

            @Override
            public int read() throws IOException {
                int b = delivered.read();
                if (b < 0) {
                    throw new IOException("connection reset by peer (simulated)");
                }
                return b;
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                int n = delivered.read(target, offset, length);
                if (n < 0) {
                    throw new IOException("connection reset by peer (simulated)");
                }
                return n;
            }
        };
    }
}
