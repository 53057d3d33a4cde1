package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.auth.AuthRule;

import java.util.Objects;

/** What a route serves and who may call it. */
public record ApiRoute(Endpoint endpoint, AuthRule auth) {
    public ApiRoute {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(auth, "auth");
    }
}
