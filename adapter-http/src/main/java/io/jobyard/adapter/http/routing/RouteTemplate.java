package io.jobyard.adapter.http.routing;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

import java.util.Objects;
import java.util.Optional;

/**
 * The template of the route that served a request ({@code /api/v4/projects/:id/jobs/:job_id}), attached to the
 * exchange when routing matches, for access logs and metrics: unlike the raw path it names no project, job or token,
 * and there are only as many templates as routes.
 */
public final class RouteTemplate {
    private static final AttachmentKey<String> KEY = AttachmentKey.create(String.class);

    private RouteTemplate() {
    }

    /** Records {@code template}, relative to the API's mount point, under the mount point's own path. */
    public static void record(HttpServerExchange exchange, String template) {
        Objects.requireNonNull(template, "template");
        exchange.putAttachment(KEY, mountPrefix(exchange) + template);
    }

    /** Records a template of a route that is not the API's (operational routes). */
    public static void recordFixed(HttpServerExchange exchange, String template) {
        exchange.putAttachment(KEY, Objects.requireNonNull(template, "template"));
    }

    /** The template of the route that served the request; empty when no route matched. */
    public static Optional<String> of(HttpServerExchange exchange) {
        return Optional.ofNullable(exchange.getAttachment(KEY));
    }

    private static String mountPrefix(HttpServerExchange exchange) {
        String full = exchange.getRequestPath();
        String relative = exchange.getRelativePath();
        if (full == null || relative == null || !full.endsWith(relative)) {
            return "";
        }
        String prefix = full.substring(0, full.length() - relative.length());
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
}
