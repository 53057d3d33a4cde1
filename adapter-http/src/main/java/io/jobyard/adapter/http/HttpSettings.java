package io.jobyard.adapter.http;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What the HTTP layer needs to know about where it runs.
 *
 * @param externalUrl           the URL clients reach the instance at (GitLab's {@code gitlab.url}): every
 *                              {@code web_url} and pagination {@code Link} is built from it, so python-gitlab follows
 *                              links back to the right scheme, host and port. It may carry a path
 *                              ({@code https://host/gitlab}).
 * @param maxBodyBytes          the largest request body read (action bodies are tiny; this bounds abuse): 413 above
 * @param offsetPaginationLimit GitLab's {@code offset_pagination_limit}: page × per_page above it is refused with 405
 * @param bodyTimeout           the longest a small body (anything but a log append or an artifact upload) may take to
 *                              arrive whole; it is read on the IO thread before a worker is involved, and one still
 *                              incomplete then is answered 408 and its connection closed (NGINX's
 *                              {@code client_body_timeout} is 60 s between reads; this bounds the whole body)
 * @param bodyIdleTimeout       the longest a streamed body (log append, artifact upload) may pause between bytes while
 *                              a worker waits for it: a read that gets nothing for this long fails, answered 408 with
 *                              the connection closed
 * @param maxCiConfigBytes      the largest {@code .gitlab-ci.yml} (GitLab's {@code max_yaml_size_bytes}): the routes
 *                              that take one read bodies up to {@link #ciConfigBodyBytes()} instead
 * @param bodyBufferBytes       what all small bodies being received may hold together (each arrives before its
 *                              request is authenticated, so their sum is bounded, not only each one); a body that
 *                              would pass it is answered 503 with its connection closed
 */
public record HttpSettings(URI externalUrl, long maxBodyBytes, long offsetPaginationLimit, Duration bodyTimeout,
                           Duration bodyIdleTimeout, long maxCiConfigBytes, long bodyBufferBytes) {
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final long DEFAULT_OFFSET_PAGINATION_LIMIT = 50_000;
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_BODY_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_CI_CONFIG_BYTES = 2L << 20;
    /** Room for five of the largest bodies (configurations) or thousands of ordinary ones, a small part of a heap. */
    public static final long DEFAULT_BODY_BUFFER_BYTES = 32L << 20;

    public HttpSettings {
        Objects.requireNonNull(externalUrl, "externalUrl");
        if (!externalUrl.isAbsolute() || externalUrl.getHost() == null) {
            throw new IllegalArgumentException("external URL must be absolute with a host: " + externalUrl);
        }
        if (!"http".equals(externalUrl.getScheme()) && !"https".equals(externalUrl.getScheme())) {
            throw new IllegalArgumentException("external URL must be http or https: " + externalUrl);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("max body bytes must be positive");
        }
        if (offsetPaginationLimit < 0) {
            throw new IllegalArgumentException("offset pagination limit must not be negative (0 disables it)");
        }
        requireMillis(bodyTimeout, "body timeout");
        requireMillis(bodyIdleTimeout, "body idle timeout");
        if (maxCiConfigBytes < 1) {
            throw new IllegalArgumentException("max CI config bytes must be positive");
        }
        long largestBody = largestBody(maxBodyBytes, maxCiConfigBytes);
        if (bodyBufferBytes < largestBody) {
            throw new IllegalArgumentException("the body buffer budget must hold at least one body of the largest"
                    + " size (" + largestBody + " bytes)");
        }
    }

    /** With the default body timeouts and configuration size. */
    public HttpSettings(URI externalUrl, long maxBodyBytes, long offsetPaginationLimit) {
        this(externalUrl, maxBodyBytes, offsetPaginationLimit, DEFAULT_BODY_TIMEOUT, DEFAULT_BODY_IDLE_TIMEOUT,
                DEFAULT_MAX_CI_CONFIG_BYTES,
                Math.max(largestBody(maxBodyBytes, DEFAULT_MAX_CI_CONFIG_BYTES), DEFAULT_BODY_BUFFER_BYTES));
    }

    public static HttpSettings of(URI externalUrl) {
        return new HttpSettings(externalUrl, DEFAULT_MAX_BODY_BYTES, DEFAULT_OFFSET_PAGINATION_LIMIT);
    }

    /** These settings with other body timeouts. */
    public HttpSettings withBodyTimeouts(Duration total, Duration idle) {
        return new HttpSettings(externalUrl, maxBodyBytes, offsetPaginationLimit, total, idle, maxCiConfigBytes,
                bodyBufferBytes);
    }

    public HttpSettings withMaxCiConfigBytes(long value) {
        // The budget grows with the configurations taken, so the largest one can always arrive.
        return new HttpSettings(externalUrl, maxBodyBytes, offsetPaginationLimit, bodyTimeout, bodyIdleTimeout, value,
                Math.max(bodyBufferBytes, largestBody(maxBodyBytes, value)));
    }

    /** These settings with another budget for the small bodies being received at once. */
    public HttpSettings withBodyBufferBytes(long value) {
        return new HttpSettings(externalUrl, maxBodyBytes, offsetPaginationLimit, bodyTimeout, bodyIdleTimeout,
                maxCiConfigBytes, value);
    }

    /**
     * The largest body of a route that takes a configuration: room for the largest one form-encoded (every byte
     * percent-escaped at worst) with the other parameters. Larger bodies are 413 before they are read whole; a
     * configuration within them but over its limit is GitLab's "The provided YAML is too big".
     */
    public long ciConfigBodyBytes() {
        return largestBody(maxBodyBytes, maxCiConfigBytes);
    }

    private static long largestBody(long maxBodyBytes, long maxCiConfigBytes) {
        return Math.max(maxBodyBytes, 3 * maxCiConfigBytes + (64 << 10));
    }

    /** Timers and socket options count in whole milliseconds up to {@code Integer.MAX_VALUE}. */
    private static void requireMillis(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.toMillis() < 1 || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be from 1 ms to " + Integer.MAX_VALUE + " ms");
        }
    }

    /** The external URL without a trailing slash: {@code https://host/gitlab}. */
    public String baseUrl() {
        String url = externalUrl.toString();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }

    /** Scheme, host and port only: {@code https://host:8443}. */
    public String origin() {
        return externalUrl.getScheme() + "://" + externalUrl.getRawAuthority();
    }

    /** The path part of the external URL without a trailing slash ({@code /gitlab}), or empty. */
    public String basePath() {
        String path = externalUrl.getRawPath() == null ? "" : externalUrl.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }
}
