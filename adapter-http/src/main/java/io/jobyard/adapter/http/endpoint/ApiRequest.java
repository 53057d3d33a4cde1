package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.auth.Credentials;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.params.WellFormedText;
import io.jobyard.adapter.http.routing.PercentDecoding;
import io.jobyard.domain.access.Actor;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A routed, authenticated request as an endpoint sees it.
 *
 * @param rawPathParams the route's path parameters, still percent-encoded
 * @param credentials   what the request presented (the runner routes check their job or runner token themselves)
 * @param selfUrl       the request's URL without query, on the configured external URL (base of Link headers)
 * @param now           the time live values (a running job's duration) are measured to
 * @param incoming      headers, and the body of a route that streams it
 * @param currentActor  the request's credentials authenticated again, as they stand now: a live follow asks it
 *                      periodically, so that a revoked token or a blocked user stops its stream too
 */
public record ApiRequest(String method, Actor actor, Map<String, String> rawPathParams, Params params,
                         Credentials credentials, String selfUrl, Instant now, Incoming incoming,
                         Supplier<Actor> currentActor) {
    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(actor, "actor");
        rawPathParams = Map.copyOf(rawPathParams);
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(selfUrl, "selfUrl");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(incoming, "incoming");
        Objects.requireNonNull(currentActor, "currentActor");
    }

    /** A path parameter, percent-decoded RFC 3986 style ({@code +} stays {@code +}). */
    public String path(String name) {
        // Decoding can make a NUL (%00) but no unpaired surrogate (invalid UTF-8 becomes U+FFFD).
        return WellFormedText.require(name, PercentDecoding.decode(rawPath(name), false));
    }

    /** A path parameter exactly as it arrived. */
    public String rawPath(String name) {
        String raw = rawPathParams.get(name);
        if (raw == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return raw;
    }

    /** A request header's first value, or null. */
    public String header(String name) {
        return incoming.header(name);
    }
}
