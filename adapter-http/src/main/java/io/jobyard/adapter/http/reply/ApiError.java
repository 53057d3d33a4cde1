package io.jobyard.adapter.http.reply;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A refusal decided by the HTTP layer itself (routing, paging limits, request size) with GitLab's status and body.
 * Refusals decided by use cases arrive as domain exceptions instead; {@link ErrorMapper} turns both into replies.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final Map<String, Object> body;
    private final Map<String, String> headers;

    private ApiError(int status, Map<String, Object> body, Map<String, String> headers) {
        super(status + " " + body);
        this.status = status;
        // In the given order: GitLab's OAuth bodies list error, error_description, scope.
        this.body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
        this.headers = Map.copyOf(headers);
    }

    /** Grape's {@code error!(text, status)} family: {@code {"error": text}}. */
    public static ApiError error(int status, String text) {
        return new ApiError(status, Map.of("error", Objects.requireNonNull(text)), Map.of());
    }

    /** GitLab's {@code render_api_error!} family: {@code {"message": text}}. */
    public static ApiError message(int status, String text) {
        return new ApiError(status, Map.of("message", Objects.requireNonNull(text)), Map.of());
    }

    /** A body of several keys in the given order (OAuth errors). */
    public static ApiError body(int status, Map<String, Object> orderedBody) {
        return new ApiError(status, new LinkedHashMap<>(orderedBody), Map.of());
    }

    public ApiError withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiError(status, body, more);
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
