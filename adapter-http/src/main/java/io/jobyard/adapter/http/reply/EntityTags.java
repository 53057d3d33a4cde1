package io.jobyard.adapter.http.reply;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** Strong entity tags and the {@code If-None-Match} / {@code If-Range} comparisons of RFC 9110. */
public final class EntityTags {
    private static final HexFormat HEX = HexFormat.of();

    private EntityTags() {
    }

    /**
     * A strong tag over a body: its length with two independent 32-bit checksums (CRC-32C and CRC-32). A tag only has
     * to tell apart the versions of one resource, not resist forgery, and both checksums run as CPU instructions:
     * SHA-256 of a 35 KiB job page was measured taking 41 % of the request's CPU.
     */
    public static String ofBytes(byte[] body) {
        return ofBytes(body, body.length);
    }

    /** {@link #ofBytes(byte[])} of the first {@code length} bytes of {@code body}. */
    public static String ofBytes(byte[] body, int length) {
        CRC32C castagnoli = new CRC32C();
        castagnoli.update(body, 0, length);
        CRC32 ieee = new CRC32();
        ieee.update(body, 0, length);
        return "\"" + Long.toHexString(length) + "-" + HEX.toHexDigits((int) castagnoli.getValue())
                + HEX.toHexDigits((int) ieee.getValue()) + "\"";
    }


    /**
     * The quoted strong tag for a validator a use case gave: used as is when it is already a valid opaque tag,
     * otherwise hashed into one (a tag may not contain quotes, spaces or control characters).
     */
    public static String strong(String validator) {
        String inner = validator.startsWith("\"") && validator.endsWith("\"") && validator.length() >= 2
                ? validator.substring(1, validator.length() - 1) : validator;
        boolean valid = !inner.isEmpty();
        for (int i = 0; i < inner.length() && valid; i++) {
            char c = inner.charAt(i);
            valid = c >= 0x21 && c <= 0x7e && c != '"';
        }
        return valid ? "\"" + inner + "\"" : ofBytes(validator.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code If-None-Match} names the current tag (weak comparison, as RFC 9110 requires there). */
    public static boolean noneMatchHits(String ifNoneMatch, String currentTag) {
        if (ifNoneMatch == null) {
            return false;
        }
        if (ifNoneMatch.trim().equals("*")) {
            return true;
        }
        String current = opaque(currentTag);
        for (String candidate : ifNoneMatch.split(",")) {
            if (opaque(candidate.trim()).equals(current)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code If-Range} still matches (strong comparison; dates are not honoured, so they never match). */
    public static boolean ifRangeHolds(String ifRange, String currentTag) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        return !value.startsWith("W/") && value.equals(currentTag);
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

}
