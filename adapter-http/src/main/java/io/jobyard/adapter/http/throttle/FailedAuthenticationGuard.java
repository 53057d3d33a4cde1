package io.jobyard.adapter.http.throttle;

import io.jobyard.adapter.http.routing.RouteTemplate;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The failed-authentication throttle as the request pipeline's first stage: a banned client address is answered at
 * once ({@link #admit}), on the IO thread, before routing, without a worker, a database read or a look at its
 * credentials — as GitLab's Rack::Attack answers before Rails sees the request: {@code 429 Retry later} with
 * {@code Retry-After} and GitLab's {@code RateLimit-*} headers. The pipeline reports every presented token that matched
 * nothing ({@link #reportGuess}); the guess that reaches the limit bans the address, and a guess still in flight when
 * the ban began is refused with the same 429 instead of its 401/403.
 */
public final class FailedAuthenticationGuard {
    /** What GitLab names this kind of throttle in {@code RateLimit-Name}. */
    static final String NAME = "throttle_authentication_failures";
    /** GitLab's {@code DEFAULT_RATE_LIMITING_RESPONSE_TEXT}. */
    static final String BODY = "Retry later\n";
    /** The client an admitted request came from. */
    private static final AttachmentKey<String> CLIENT = AttachmentKey.create(String.class);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final FailedAuthenticationThrottle throttle;
    private final ClientAddress addresses;
    private final Clock clock;

    public FailedAuthenticationGuard(FailedAuthenticationThrottle throttle, Clock clock) {
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.addresses = new ClientAddress(throttle.settings().trustedProxies());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Lets a request in, or answers it {@code 429} when its client address is banned. A request already let in (the
     * pipeline calls this again on the worker thread) is not counted twice.
     *
     * @return false when the request has been answered
     */
    public boolean admit(HttpServerExchange exchange) {
        if (exchange.getAttachment(CLIENT) != null) {
            return true;
        }
        String client = addresses.keyOf(exchange);
        Optional<FailedAuthenticationThrottle.Ban> ban = throttle.ban(client, clock.instant());
        if (ban.isPresent()) {
            RouteTemplate.recordFixed(exchange, "throttled");
            answer(exchange, ban.get());
            return false;
        }
        exchange.putAttachment(CLIENT, client);
        return true;
    }

    /**
     * Reports that the request presented a token, with SHA-256 digest {@code credentialDigest}, that matched nothing.
     * Call before answering the refusal.
     *
     * @return true when the throttle has answered the request (429): the caller must not answer it again
     */
    public boolean reportGuess(HttpServerExchange exchange, String credentialDigest) {
        String client = exchange.getAttachment(CLIENT);
        if (client == null) {
            client = addresses.keyOf(exchange);
        }
        Instant now = clock.instant();
        if (throttle.guessed(client, credentialDigest, now) == FailedAuthenticationThrottle.Verdict.COUNTED) {
            return false;
        }
        answer(exchange, throttle.ban(client, now).orElse(new FailedAuthenticationThrottle.Ban(
                now.plus(throttle.settings().ban()), throttle.settings().limit())));
        return true;
    }

    private void answer(HttpServerExchange exchange, FailedAuthenticationThrottle.Ban ban) {
        Instant now = clock.instant();
        long retryAfter = Math.max(1, (Duration.between(now, ban.until()).toMillis() + 999) / 1000);
        exchange.setStatusCode(429);
        exchange.getResponseHeaders().clear();
        headers(ban, retryAfter).forEach((name, value) ->
                exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
        exchange.getResponseSender().send(BODY, StandardCharsets.UTF_8);
    }

    /**
     * GitLab's {@code throttled_response_headers}: the limit rounded to a 60-second window, the guesses observed, none
     * remaining, and when the client may come back (Unix time and HTTP date), which {@code Retry-After} repeats as
     * seconds.
     */
    Map<String, String> headers(FailedAuthenticationThrottle.Ban ban, long retryAfter) {
        ThrottleSettings settings = throttle.settings();
        long perMinute = (long) Math.ceil(settings.limit() * 60.0 / settings.period().toSeconds());
        Instant reset = ban.until();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain");
        headers.put("RateLimit-Name", NAME);
        headers.put("RateLimit-Limit", Long.toString(perMinute));
        headers.put("RateLimit-Observed", Integer.toString(ban.observed()));
        headers.put("RateLimit-Remaining", "0");
        headers.put("RateLimit-Reset", Long.toString((reset.toEpochMilli() + 999) / 1000));
        headers.put("RateLimit-ResetTime", HTTP_DATE.format(Instant.ofEpochSecond((reset.toEpochMilli() + 999)
                / 1000)));
        headers.put("Retry-After", Long.toString(retryAfter));
        return headers;
    }
}
