package io.jobyard.application.service;

import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Assertions for the refusals the contract names, down to the kind of 404 and the 403 reason. */
public final class Refusals {
    private Refusals() {
    }

    /** "404 Project Not Found". */
    public static void projectNotFound(ThrowingCallable call) {
        notFound(call, NotFoundException.Kind.RESOURCE, "Project");
    }

    /** GitLab's uncaught record miss, "404 Not found". */
    public static void recordNotFound(ThrowingCallable call, String what) {
        notFound(call, NotFoundException.Kind.RECORD, what);
    }

    public static void notFound(ThrowingCallable call, NotFoundException.Kind kind, String resource) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NotFoundException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.resource()).isEqualTo(resource);
        });
    }

    /** "403 Forbidden" without a reason. */
    public static void forbidden(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ForbiddenException.class,
                e -> assertThat(e.reason()).isEmpty());
    }

    /** "403 Forbidden - reason". */
    public static void forbidden(ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ForbiddenException.class,
                e -> assertThat(e.reason()).contains(reason));
    }

    public static void badRequest(ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BadRequestException.class,
                e -> assertThat(e.reason()).contains(reason));
    }

    public static void unauthorized(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(UnauthorizedException.class);
    }
}
