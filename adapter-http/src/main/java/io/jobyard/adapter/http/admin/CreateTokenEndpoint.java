package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.params.ParamValue;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.in.admin.AccessTokensUseCase.IssuedToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.UserId;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code POST /users/:user_id/personal_access_tokens}: {@code name}, {@code scopes[]} ({@code api}, {@code read_api}:
 * the scopes Jobyard honours) and {@code expires_at} ({@code YYYY-MM-DD}). The answer carries the secret, once.
 */
public final class CreateTokenEndpoint implements Endpoint {
    private final AccessTokensUseCase tokens;

    public CreateTokenEndpoint(AccessTokensUseCase tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public Reply handle(ApiRequest request) {
        UserId user = AdminParams.pathUserId(request.path("user_id"), "user_id");
        Params params = request.params();
        String name = AdminParams.requiredText(params, "name");
        Set<TokenScope> scopes = scopes(params);
        LocalDate expiresAt = expiresAt(params);
        IssuedToken issued = tokens.createForUser(request.actor(), user, name, scopes, expiresAt);
        return Reply.Json.created(PersonalAccessTokenWithTokenJson.from(issued, request.now()));
    }

    /** {@code scopes[]=api}, a JSON array, {@code scopes=api} repeated, or one plain value. */
    static Set<TokenScope> scopes(Params params) {
        ParamValue value = params.get("scopes").orElse(null);
        List<String> names;
        if (value == null || value instanceof ParamValue.Blank) {
            names = List.of();
        } else if (value instanceof ParamValue.Text text) {
            names = text.value().isEmpty() ? List.of() : List.of(text.value());
        } else if (value instanceof ParamValue.Repeated repeated) {
            names = repeated.values();
        } else if (value instanceof ParamValue.Items items) {
            names = items.items().stream()
                    .map(item -> item instanceof ParamValue.Text text ? text.value() : null)
                    .toList();
        } else {
            throw Params.invalid("scopes");
        }
        if (names.isEmpty()) {
            throw Params.missing("scopes");
        }
        Set<TokenScope> scopes = EnumSet.noneOf(TokenScope.class);
        for (String scope : names) {
            if (scope == null) {
                throw Params.invalid("scopes");
            }
            scopes.add(TokenScope.fromWireName(scope).orElseThrow(() -> AdminParams.notAValidValue("scopes")));
        }
        return scopes;
    }

    static LocalDate expiresAt(Params params) {
        String text = params.text("expires_at").filter(t -> !t.isEmpty()).orElse(null);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException notADate) {
            throw Params.invalid("expires_at");
        }
    }
}
