package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.AccessTokensUseCase.IssuedToken;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.domain.error.InvalidParameterException;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * One token, by {@code :id} or as "self" (the token that authenticated the request): {@code GET} answers GitLab's
 * {@code PersonalAccessToken} entity, {@code DELETE} revokes (204), {@code POST .../rotate} answers 200 with the
 * successor and its secret. A non-numeric {@code :id} names no token, as GitLab's {@code find_by_id} finds none.
 */
public final class TokenEndpoints {
    private TokenEndpoints() {
    }

    public static Endpoint get(AccessTokensUseCase tokens) {
        return request -> Reply.Json.ok(PersonalAccessTokenJson.from(tokens.get(request.actor(), id(request)),
                request.now()));
    }

    public static Endpoint getSelf(AccessTokensUseCase tokens) {
        return request -> Reply.Json.ok(PersonalAccessTokenJson.from(tokens.getSelf(request.actor()),
                request.now()));
    }

    public static Endpoint revoke(AccessTokensUseCase tokens) {
        return request -> {
            tokens.revoke(request.actor(), id(request));
            return new Reply.Empty(204);
        };
    }

    public static Endpoint revokeSelf(AccessTokensUseCase tokens) {
        return request -> {
            tokens.revokeSelf(request.actor());
            return new Reply.Empty(204);
        };
    }

    public static Endpoint rotate(AccessTokensUseCase tokens) {
        return request -> rotated(request, tokens.rotate(request.actor(), id(request), expiresAt(request)));
    }

    public static Endpoint rotateSelf(AccessTokensUseCase tokens) {
        return request -> rotated(request, tokens.rotateSelf(request.actor(), expiresAt(request)));
    }

    private static Reply rotated(ApiRequest request, IssuedToken successor) {
        return Reply.Json.ok(PersonalAccessTokenWithTokenJson.from(successor, request.now()));
    }

    private static long id(ApiRequest request) {
        String text = request.path("id");
        return text.matches("[0-9]{1,18}") ? Long.parseLong(text) : -1;
    }

    /** The rotation's optional {@code expires_at}, a Grape {@code Date}. */
    private static LocalDate expiresAt(ApiRequest request) {
        String text = request.params().text("expires_at").map(String::trim).filter(t -> !t.isEmpty()).orElse(null);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException notADate) {
            throw new InvalidParameterException("expires_at is invalid");
        }
    }
}
