package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.application.port.in.AdministerUseCase;
import io.jobyard.application.port.in.AuthenticateUseCase;
import io.undertow.server.HttpHandler;

import java.time.Clock;
import java.util.Objects;

/**
 * What a standalone server needs to be usable, on GitLab's routes: {@code POST /users},
 * {@code POST /users/:user_id/personal_access_tokens}, {@code POST /projects}, {@code POST /projects/:id/members} and
 * {@code DELETE /projects/:id/members/:user_id}, as an Undertow {@link HttpHandler} to chain with the other APIs under
 * the same prefix: {@code jobsApi.handler(runnerApi.handler(pipelineApi.handler(adminApi.handler())))}.
 */
public final class AdminApi {
    private final Router<Endpoint> router;
    private final Authenticator authenticator;
    private final HttpSettings settings;
    private final Clock clock;

    public record UseCases(AdministerUseCase administer, AuthenticateUseCase authenticate) {
        public UseCases {
            Objects.requireNonNull(administer, "administer");
            Objects.requireNonNull(authenticate, "authenticate");
        }
    }

    public AdminApi(UseCases useCases, HttpSettings settings, Clock clock) {
        Objects.requireNonNull(useCases, "useCases");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.authenticator = new Authenticator(useCases.authenticate());
        WebUrls urls = new WebUrls(settings.baseUrl());
        AdministerUseCase administer = useCases.administer();
        this.router = Router.<Endpoint>builder()
                .add("POST", "/users", new CreateUserEndpoint(administer, urls))
                .add("POST", "/users/:user_id/personal_access_tokens", new CreateTokenEndpoint(administer))
                .add("POST", "/projects", new CreateProjectEndpoint(administer, urls))
                .add("POST", "/projects/:id/members", new PutMemberEndpoint(administer, urls))
                .add("DELETE", "/projects/:id/members/:user_id", new RemoveMemberEndpoint(administer))
                .build();
    }

    /** Unknown paths are {@code 404 {"error":"404 Not Found"}}. */
    public HttpHandler handler() {
        return new AdminHandler(router, authenticator, settings, clock, null);
    }

    /** Paths this API has no route for go to {@code fallback} (on a worker thread, in blocking mode). */
    public HttpHandler handler(HttpHandler fallback) {
        return new AdminHandler(router, authenticator, settings, clock, Objects.requireNonNull(fallback, "fallback"));
    }
}
