package io.jobyard.bootstrap;

import io.jobyard.adapter.http.routing.RouteTemplate;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * One line per request on the {@code io.jobyard.access} logger: method, route template (the path itself when no API
 * route matched), status, duration and bytes sent. The query string and every header are left out on purpose — tokens travel there ({@code private_token}, {@code
 * job_token}, {@code PRIVATE-TOKEN}, {@code JOB-TOKEN}) and must never reach a log.
 */
final class AccessLogHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger("io.jobyard.access");

    private final HttpHandler next;
    private final boolean enabled;

    AccessLogHandler(HttpHandler next) {
        this(next, true);
    }

    /** @param enabled false for the warm-up's throwaway server, whose thousands of requests are nobody's business */
    AccessLogHandler(HttpHandler next, boolean enabled) {
        this.next = Objects.requireNonNull(next, "next");
        this.enabled = enabled;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long started = System.nanoTime();
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            try {
                if (enabled && LOG.isInfoEnabled()) {
                    LOG.info("{} {} {} {}ms {}B", done.getRequestMethod(),
                            RouteTemplate.of(done).orElse(done.getRequestPath()),
                            done.getStatusCode(), (System.nanoTime() - started) / 1_000_000,
                            done.getResponseBytesSent());
                }
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }
}
