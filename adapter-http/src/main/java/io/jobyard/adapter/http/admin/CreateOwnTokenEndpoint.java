package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.AccessTokensUseCase.IssuedToken;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;

import java.util.Objects;

/**
 * {@code POST /user/personal_access_tokens}: {@code name}, {@code scopes[]} (only {@code k8s_proxy}, as GitLab allows)
 * and {@code expires_at} (default: tomorrow). 201 with the token and its secret, once.
 */
public final class CreateOwnTokenEndpoint implements Endpoint {
    private final AccessTokensUseCase tokens;

    public CreateOwnTokenEndpoint(AccessTokensUseCase tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public Reply handle(ApiRequest request) {
        Params params = request.params();
        String name = AdminParams.requiredText(params, "name");
        IssuedToken issued = tokens.createForSelf(request.actor(), name, CreateTokenEndpoint.scopes(params),
                CreateTokenEndpoint.expiresAt(params));
        return Reply.Json.created(PersonalAccessTokenWithTokenJson.from(issued, request.now()));
    }
}
