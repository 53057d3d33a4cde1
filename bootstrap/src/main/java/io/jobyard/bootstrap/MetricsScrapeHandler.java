package io.jobyard.bootstrap;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Deque;
import java.util.Objects;

/**
 * {@code GET /-/metrics}: the registry in Prometheus' text exposition format. With a token, only requests that carry it
 * ({@code Authorization: Bearer <token>}, as Prometheus' {@code authorization} setting sends it, or {@code ?token=},
 * as GitLab's health-check token is given) are answered; others get {@code 401}. Without one it is open, as before: keep
 * the API's listener on a private network, or give the metrics a listener of their own
 * ({@code JOBYARD_METRICS_PORT}, on loopback by default).
 */
final class MetricsScrapeHandler implements HttpHandler {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final byte[] token;

    MetricsScrapeHandler(PrometheusMeterRegistry registry) {
        this(registry, null);
    }

    /** @param token required of every scrape, or null for none */
    MetricsScrapeHandler(PrometheusMeterRegistry registry, String token) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            // The pending-job gauge may ask the database: not on an IO thread.
            exchange.dispatch(this);
            return;
        }
        if (token != null && !authorized(exchange)) {
            exchange.setStatusCode(StatusCodes.UNAUTHORIZED);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"");
            exchange.getResponseSender().send("{\"message\":\"401 Unauthorized\"}");
            return;
        }
        exchange.setStatusCode(StatusCodes.OK);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getResponseSender().send(registry.scrape());
    }

    private boolean authorized(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && matches(header.substring(7).strip())) {
            return true;
        }
        Deque<String> query = exchange.getQueryParameters().get("token");
        return query != null && query.stream().anyMatch(this::matches);
    }

    /** Compared in constant time: the time an answer takes tells nothing about the token. */
    private boolean matches(String given) {
        return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }
}
