package io.jobyard.adapter.http.routing;

import io.undertow.server.HttpServerExchange;

/**
 * The request path as the client sent it (still percent-encoded), below the point where the API is mounted.
 *
 * <p>Routing must see {@code %2F} inside a project path or ref as data, not as a separator, so it cannot use
 * Undertow's decoded path. The raw path comes from {@link HttpServerExchange#getRequestURI()}, which Undertow never
 * decodes; the mount prefix (for example {@code /api/v4} added by a {@code PathHandler}) is removed by counting the
 * slashes the prefix has in the decoded path. That works whether or not the server decodes URLs, as long as it does
 * not turn {@code %2F} into {@code /} (Undertow's {@code ALLOW_ENCODED_SLASH}, false by default).
 */
public final class RawPath {
    private RawPath() {
    }

    /** The raw path below the mount point, normalized as {@link #normalize} says. */
    public static String relativeTo(HttpServerExchange exchange) {
        String raw = fullRawPath(exchange);
        String decodedFull = exchange.getRequestPath();
        String decodedRelative = exchange.getRelativePath();
        if (decodedFull == null || decodedRelative == null || !decodedFull.endsWith(decodedRelative)) {
            return normalize(raw);
        }
        String decodedPrefix = decodedFull.substring(0, decodedFull.length() - decodedRelative.length());
        return normalize(strip(raw, decodedPrefix, decodedRelative));
    }

    /** The full raw path of the request, without scheme, authority or query. */
    public static String fullRawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            int scheme = uri.indexOf("://");
            int pathStart = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
            uri = pathStart < 0 ? "/" : uri.substring(pathStart);
        }
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    static String strip(String raw, String decodedPrefix, String decodedRelative) {
        int prefixSlashes = count(decodedPrefix);
        if (decodedPrefix.isEmpty()) {
            return raw;
        }
        if (decodedRelative.isEmpty()) {
            return "/";
        }
        if (decodedRelative.startsWith("/")) {
            int at = nthSlash(raw, prefixSlashes + 1);
            return at < 0 ? "/" : raw.substring(at);
        }
        int at = nthSlash(raw, prefixSlashes);
        return at < 0 ? "/" : "/" + raw.substring(at + 1);
    }

    /**
     * Grape's normalization, applied to the raw path before matching: repeated slashes collapse and trailing slashes
     * go ({@code /projects/1/jobs/} is the job list). Encoded slashes are data and stay as they are.
     */
    public static String normalize(String raw) {
        StringBuilder out = new StringBuilder(raw.length() + 1);
        if (!raw.startsWith("/")) {
            out.append('/');
        }
        char previous = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '/' && previous == '/') {
                continue;
            }
            out.append(c);
            previous = c;
        }
        while (out.length() > 1 && out.charAt(out.length() - 1) == '/') {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    private static int count(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    private static int nthSlash(String text, int n) {
        int seen = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '/' && ++seen == n) {
                return i;
            }
        }
        return -1;
    }
}
