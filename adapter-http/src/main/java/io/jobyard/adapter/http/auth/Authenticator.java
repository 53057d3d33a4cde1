package io.jobyard.adapter.http.auth;

import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.UnauthorizedException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * GitLab's API guard for one route: turns the presented credentials into an {@link Actor}, then applies the route's
 * rule. Which projects and jobs the actor may touch is not decided here; the use cases do that.
 */
public final class Authenticator {
    private final AuthenticateUseCase authenticate;

    public Authenticator(AuthenticateUseCase authenticate) {
        this.authenticate = Objects.requireNonNull(authenticate, "authenticate");
    }

    /**
     * @throws UnauthorizedException a presented token is unknown, expired, revoked, or a job token whose job is no
     *                               longer running; or no identity where the route needs one
     * @throws ApiError              403 {@code insufficient_scope} for a token whose scopes the route does not take
     *                               ({@code read_api} on a write, {@code k8s_proxy} anywhere but "self")
     */
    public Actor authenticate(Credentials credentials, AuthRule rule, String method) {
        if (!rule.guarded()) {
            return Actor.ANONYMOUS;
        }
        Actor actor = identify(credentials, rule);
        if (actor instanceof Actor.Anonymous && rule.refusesAnonymous(method)) {
            throw new UnauthorizedException("authentication required");
        }
        // Scopes belong to access tokens. (Job tokens never reach a write route.)
        if (actor instanceof Actor.UserActor user && !rule.admits(user.scopes(), method)) {
            throw insufficientScope(rule.scopeNames(method));
        }
        return actor;
    }

    /** The identity alone, in the guard's order: access token, then bearer, then job token where allowed. */
    private Actor identify(Credentials credentials, AuthRule rule) {
        if (credentials.privateToken() != null) {
            return accessToken(credentials.privateToken(), rule);
        }
        if (credentials.bearer() != null) {
            try {
                return accessToken(credentials.bearer(), rule);
            } catch (UnauthorizedException notAnAccessToken) {
                if (!rule.jobTokensAllowed()) {
                    throw notAnAccessToken;
                }
                return authenticate.byJobToken(credentials.bearer());
            }
        }
        if (credentials.jobToken() != null && rule.jobTokensAllowed()) {
            return authenticate.byJobToken(credentials.jobToken());
        }
        return Actor.ANONYMOUS;
    }

    private Actor accessToken(String token, AuthRule rule) {
        return rule.rotation() ? authenticate.byAccessTokenForRotation(token) : authenticate.byAccessToken(token);
    }

    /** The OAuth2 body GitLab's guard sends when a token's scopes do not cover the request. */
    static ApiError insufficientScope(String scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "insufficient_scope");
        body.put("error_description", "The request requires higher privileges than provided by the access token.");
        body.put("scope", scopes);
        return ApiError.body(403, body);
    }
}
