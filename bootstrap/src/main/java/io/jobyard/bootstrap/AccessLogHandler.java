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
    static final Logger ACCESS_LOG = LoggerFactory.getLogger("io.jobyard.access");

    private final HttpHandler next;
    private final Logger log;

    AccessLogHandler(HttpHandler next) {
        this(next, ACCESS_LOG);
    }

    /**
     * @param log where the lines go: {@link #ACCESS_LOG}, or for the warm-up's throwaway server, whose thousands of
     *            requests are nobody's business, a logger that formats them and drops them
     */
    AccessLogHandler(HttpHandler next, Logger log) {
        this.next = Objects.requireNonNull(next, "next");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long started = System.nanoTime();
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            try {
                if (log.isInfoEnabled()) {
                    log.info("{} {} {} {}ms {}B", done.getRequestMethod(),
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
