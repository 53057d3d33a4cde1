package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.in.admin.UsersUseCase.Outcome;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.user.UserId;

import java.util.function.BiFunction;

/**
 * {@code POST /users/:id/block}, {@code /unblock}, {@code /deactivate}, {@code /activate} and {@code DELETE
 * /users/:id}. GitLab's state endpoints answer 201 with what their block returned: {@code true} when the user changed,
 * {@code false} when the state machine had no such transition (activating an active user), {@code null} where the
 * endpoint stops early because the user is already so (blocking a blocked user). Deletion answers 204.
 */
public final class UserStateEndpoints {
    private UserStateEndpoints() {
    }

    public static Endpoint block(UsersUseCase users) {
        return change(users::block);
    }

    public static Endpoint unblock(UsersUseCase users) {
        return change(users::unblock);
    }

    public static Endpoint deactivate(UsersUseCase users) {
        return change(users::deactivate);
    }

    public static Endpoint activate(UsersUseCase users) {
        return change(users::activate);
    }

    public static Endpoint delete(UsersUseCase users) {
        return request -> {
            users.delete(request.actor(), AdminParams.routeUserId(request.path("id")));
            return new Reply.Empty(204);
        };
    }

    private static Endpoint change(BiFunction<Actor, UserId, Outcome> operation) {
        return request -> {
            Outcome outcome = operation.apply(request.actor(), AdminParams.routeUserId(request.path("id")));
            return Reply.Json.created(switch (outcome) {
                case CHANGED -> BooleanNode.TRUE;
                case NO_TRANSITION -> BooleanNode.FALSE;
                case ALREADY -> NullNode.getInstance();
            });
        };
    }
}
