package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.auth.AuthRule;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.application.port.in.AdministerUseCase;
import io.jobyard.application.port.in.session.PasswordsUseCase;
import io.jobyard.application.port.in.AuthenticateUseCase;
import io.undertow.server.HttpHandler;

import java.time.Clock;
import java.util.Objects;

/**
 * What a standalone server needs to be usable, on GitLab's routes: the instance's version ({@code GET /metadata},
 * {@code GET /version}), users ({@code GET/POST /users},
 * {@code GET /users/:id}, {@code GET /user}, {@code POST /users/:user_id/personal_access_tokens}), projects
 * ({@code GET/POST /projects}, {@code GET/PUT /projects/:id}) and members ({@code GET/POST /projects/:id/members},
 * {@code GET/DELETE /projects/:id/members/:user_id}), as an Undertow {@link HttpHandler} to chain with the other APIs under
 * the same prefix: {@code jobsApi.handler(runnerApi.handler(pipelineApi.handler(adminApi.handler())))}.
 */
public final class AdminApi {
    private final Router<ApiRoute> router;
    private final Authenticator authenticator;
    private final HttpSettings settings;
    private final Clock clock;

    /** @param passwords stores {@code POST /users}'s {@code password} hashed; null where passwords are not kept */
    public record UseCases(AdministerUseCase administer, AuthenticateUseCase authenticate,
                           PasswordsUseCase passwords) {
        public UseCases {
            Objects.requireNonNull(administer, "administer");
            Objects.requireNonNull(authenticate, "authenticate");
        }

        public UseCases(AdministerUseCase administer, AuthenticateUseCase authenticate) {
            this(administer, authenticate, null);
        }
    }

    public AdminApi(UseCases useCases, HttpSettings settings, Clock clock) {
        Objects.requireNonNull(useCases, "useCases");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.authenticator = new Authenticator(useCases.authenticate());
        WebUrls urls = new WebUrls(settings.baseUrl());
        AdministerUseCase administer = useCases.administer();
        this.router = Router.<ApiRoute>builder()
                // lib/api/users.rb: authenticate_non_get!, then each read decides about anonymous callers
                .add("GET", "/users", route(new ListUsersEndpoint(administer, urls), AuthRule.PUBLIC_READ))
                .add("POST", "/users", route(new CreateUserEndpoint(administer, useCases.passwords(), urls),
                        AuthRule.USER))
                .add("GET", "/users/:id", route(new GetUserEndpoint(administer, urls), AuthRule.PUBLIC_READ))
                .add("POST", "/users/:user_id/personal_access_tokens",
                        route(new CreateTokenEndpoint(administer), AuthRule.USER))
                .add("GET", "/user", route(new CurrentUserEndpoint(administer, urls), AuthRule.USER))
                // lib/api/metadata.rb: authenticate!
                .add("GET", "/metadata", route(new MetadataEndpoint(), AuthRule.USER))
                .add("GET", "/version", route(new MetadataEndpoint(), AuthRule.USER))
                // lib/api/projects.rb: authenticate_non_get!
                .add("GET", "/projects", route(new ListProjectsEndpoint(administer, urls), AuthRule.PUBLIC_READ))
                .add("POST", "/projects", route(new CreateProjectEndpoint(administer, urls), AuthRule.USER))
                .add("GET", "/projects/:id", route(new GetProjectEndpoint(administer, urls), AuthRule.PUBLIC_READ))
                .add("PUT", "/projects/:id", route(new UpdateProjectEndpoint(administer, urls), AuthRule.USER))
                // lib/api/members.rb: authenticate!
                .add("GET", "/projects/:id/members", route(new ListMembersEndpoint(administer, urls), AuthRule.USER))
                .add("POST", "/projects/:id/members", route(new PutMemberEndpoint(administer, urls), AuthRule.USER))
                .add("GET", "/projects/:id/members/:user_id",
                        route(new GetMemberEndpoint(administer, urls), AuthRule.USER))
                .add("DELETE", "/projects/:id/members/:user_id",
                        route(new RemoveMemberEndpoint(administer), AuthRule.USER))
                .build();
    }

    private static ApiRoute route(Endpoint endpoint, AuthRule rule) {
        return new ApiRoute(endpoint, rule);
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
