package io.jobyard.application.service.admin;

import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.UnauthorizedException;

import java.util.function.Supplier;

/** The checks the users, projects and members services share. */
final class AdminRules {
    private AdminRules() {
    }

    /** GitLab's members and users APIs are {@code authenticate!}: no identity is 401 even on public projects. */
    static void requireSignedIn(Actor actor) {
        if (actor.user().isEmpty()) {
            throw new UnauthorizedException("401 Unauthorized");
        }
    }

    static void requireMaintainer(ProjectAccess access) {
        if (!access.isMaintainer()) {
            throw new ForbiddenException();
        }
    }

    /** Only an Owner (or an administrator) grants or takes away the Owner role, or changes a visibility. */
    static boolean isOwner(ProjectAccess access) {
        return access.actor().isAdmin() || access.role() == Role.OWNER;
    }

    /** Builds a record whose constructor validates, answering invalid input as a 400 with the reason. */
    static <T> T valid(Supplier<T> construction) {
        try {
            return construction.get();
        } catch (IllegalArgumentException | NullPointerException invalid) {
            throw new BadRequestException(invalid.getMessage());
        }
    }
}
