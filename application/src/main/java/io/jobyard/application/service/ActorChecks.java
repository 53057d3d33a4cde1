package io.jobyard.application.service;

import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

/**
 * The credential checks that come before anything else in a request, as GitLab's API guard makes them: no identity is
 * 401, an identity whose credentials only read ({@code read_api}, CI job tokens) is 403 on writes.
 */
public final class ActorChecks {
    private ActorChecks() {
    }

    /** @return the acting user's id */
    public static UserId requireWriter(Actor actor) {
        if (actor instanceof Actor.Anonymous || actor.user().isEmpty()) {
            throw new UnauthorizedException("401 Unauthorized");
        }
        if (!actor.canWrite()) {
            throw new ForbiddenException();
        }
        return actor.user().map(User::id).orElseThrow();
    }
}
