package io.jobyard.application.service.auth;

import io.jobyard.application.port.in.auth.AccessChecks;
import io.jobyard.application.service.AccessCache;

import java.util.Objects;

/** The HTTP layer's bracket around a request, so that it reads the access version once ({@link AccessCache}). */
public final class RequestAccessChecks implements AccessChecks {
    private final AccessCache cache;

    public RequestAccessChecks(AccessCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public Request beginRequest() {
        return cache.beginRequest();
    }
}
