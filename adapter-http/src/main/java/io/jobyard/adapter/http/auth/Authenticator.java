package io.jobyard.adapter.http.auth;

import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.session.WebSessionUseCase;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.ForbiddenException;
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
    /** Null when no web sessions are served. */
    private final WebSessionUseCase webSessions;

    public Authenticator(AuthenticateUseCase authenticate) {
        this(authenticate, null);
    }

    /** @param webSessions the web sessions to accept (cookie), or null for none */
    public Authenticator(AuthenticateUseCase authenticate, WebSessionUseCase webSessions) {
        this.authenticate = Objects.requireNonNull(authenticate, "authenticate");
        this.webSessions = webSessions;
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
        Actor actor = identify(credentials, rule, method);
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
    private Actor identify(Credentials credentials, AuthRule rule, String method) {
        if (rule.web()) {
            return session(credentials, rule, method);
        }
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
        return session(credentials, rule, method);
    }

    /**
     * The web session, as GitLab's API guard takes it ({@code find_user_from_warden}): on a read, or on any other
     * request that carries the session's CSRF token. An API write without a valid token ignores the session (the
     * caller is anonymous, so 401): a cross-site form cannot act through the API with a visitor's cookie. A page's
     * write without one is refused (403), as Rails' {@code protect_from_forgery} does. An ended or unknown session is
     * no session.
     */
    private Actor session(Credentials credentials, AuthRule rule, String method) {
        if (webSessions == null || credentials.session() == null) {
            return Actor.ANONYMOUS;
        }
        Actor actor;
        try {
            actor = webSessions.authenticate(credentials.session());
        } catch (UnauthorizedException ended) {
            // A dead session grants nothing, so there is nothing to forge: the visitor is anonymous (and may sign in).
            return Actor.ANONYMOUS;
        }
        if (!AuthRule.isRead(method)) {
            try {
                webSessions.verifyCsrf(credentials.session(), credentials.csrfToken());
            } catch (ForbiddenException forged) {
                if (rule.web()) {
                    throw forged;
                }
                return Actor.ANONYMOUS;
            }
        }
        return actor;
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
