package io.jobyard.application.service.artifact;

import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reading downloads and hashing bytes in tests. */
public final class TestBytes {
    private TestBytes() {
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] readAll(BlobContent content) {
        try (content) {
            return content.stream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole download, as the HTTP layer would stream it. */
    public static byte[] body(Download download) {
        return readAll(download.open(ByteRange.ALL));
    }

    public static String text(Download download) {
        return new String(body(download), java.nio.charset.StandardCharsets.UTF_8);
    }
}
