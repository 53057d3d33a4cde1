package io.jobyard.adapter.http.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * RFC 3986 percent-decoding of path text: {@code %XX} becomes the byte XX and nothing else changes. A literal
 * {@code +} stays {@code +} (GitLab refs and file names may contain it; form decoding would turn it into a space).
 * A {@code %} not followed by two hex digits is kept literally, as Rack does.
 */
public final class PercentDecoding {
    private PercentDecoding() {
    }

    /** The decoded bytes. */
    public static byte[] decodeToBytes(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()
                    && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                out.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 3;
            } else {
                byte[] literal = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    literal = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(literal, 0, literal.length);
                i++;
            }
        }
        return out.toByteArray();
    }

    /** Decoded as UTF-8; invalid sequences become U+FFFD (fine for names that are only looked up). */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        return new String(decodeToBytes(raw), StandardCharsets.UTF_8);
    }

    /** Decoded as UTF-8, or empty when the bytes are not valid UTF-8 (artifact paths must be exact). */
    public static Optional<String> decodeStrict(String raw) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decodeToBytes(raw)))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
