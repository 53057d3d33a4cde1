package io.jobyard.adapter.http.params;

import io.jobyard.adapter.http.routing.PercentDecoding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code application/x-www-form-urlencoded} as Rack reads query strings and form bodies ({@code +} is a space there,
 * unlike in paths), and Ruby's {@code CGI.escape} for writing them back into Link headers.
 */
public final class FormEncoding {
    private FormEncoding() {
    }

    /** One decoded {@code key=value} pair, in the order sent. */
    public record Pair(String key, String value) {
    }

    public static List<Pair> parse(String raw) {
        List<Pair> pairs = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return pairs;
        }
        for (String part : raw.split("[&;]")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = PercentDecoding.decode(eq < 0 ? part : part.substring(0, eq), true);
            String value = eq < 0 ? "" : PercentDecoding.decode(part.substring(eq + 1), true);
            if (!key.isEmpty()) {
                pairs.add(new Pair(key, value));
            }
        }
        return pairs;
    }

    /** Ruby's {@code CGI.escape}: everything but {@code A-Za-z0-9_.-~} percent-encoded, space as {@code +}. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
