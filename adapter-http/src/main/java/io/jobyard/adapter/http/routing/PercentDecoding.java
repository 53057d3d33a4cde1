package io.jobyard.adapter.http.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one percent-decoder: {@code %XX} becomes the byte XX and a {@code %} not followed by two hex digits is kept
 * literally, as Rack and Ruby's {@code CGI.unescape} do. What differs between paths and forms is {@code +}: in a path
 * it stays {@code +} (RFC 3986; GitLab refs and file names may contain it), in a query string, a form body or a URL's
 * user information it is a space ({@code application/x-www-form-urlencoded}, {@code CGI.unescape}).
 */
public final class PercentDecoding {
    private PercentDecoding() {
    }

    /** The decoded bytes; {@code plusIsSpace} for form encoding. */
    public static byte[] decodeToBytes(String raw, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()
                    && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                out.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 3;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
                i++;
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
                byte[] literal = raw.substring(i, end).getBytes(StandardCharsets.UTF_8);
                out.write(literal, 0, literal.length);
                i = end;
            }
        }
        return out.toByteArray();
    }

    /** Decoded as UTF-8; invalid sequences become U+FFFD (fine for names that are only looked up). */
    public static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        return new String(decodeToBytes(raw, plusIsSpace), StandardCharsets.UTF_8);
    }

    /** A path's text decoded as UTF-8, or empty when the bytes are not valid UTF-8 (names that must be exact). */
    public static Optional<String> decodeStrict(String raw) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decodeToBytes(raw, false)))
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
