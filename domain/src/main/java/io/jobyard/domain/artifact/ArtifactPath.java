package io.jobyard.domain.artifact;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A path inside an artifact archive, as a client asks for it. It cannot exist if it could escape the archive root:
 * no {@code ..} segment, no leading slash, no backslash, no NUL, valid UTF-8, no empty name.
 */
public record ArtifactPath(String value) {
    public static final int MAX_LENGTH = 4096;

    public ArtifactPath {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("artifact path must be 1-" + MAX_LENGTH + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("artifact path contains NUL");
        }
        if (value.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("artifact path contains a backslash");
        }
        if (value.startsWith("/") || value.matches("^[A-Za-z]:.*")) {
            throw new IllegalArgumentException("artifact path is absolute");
        }
        if (value.indexOf('\uFFFD') >= 0 || hasLoneSurrogate(value)) {
            throw new IllegalArgumentException("artifact path is not valid UTF-8");
        }
        for (String segment : value.split("/", -1)) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("artifact path escapes the archive root");
            }
        }
    }

    /** Builds a path from raw bytes, refusing invalid UTF-8 rather than replacing it. */
    public static ArtifactPath fromUtf8(byte[] bytes) {
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return new ArtifactPath(decoded);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("artifact path is not valid UTF-8", e);
        }
    }

    /** The last segment: what {@code Content-Disposition} names. */
    public String basename() {
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        int slash = trimmed.lastIndexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(slash + 1);
    }

    public boolean isDirectory() {
        return value.endsWith("/");
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return value;
    }
}
