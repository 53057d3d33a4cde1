package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.auth.AuthRule;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.hook.HookEndpoints;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.undertow.server.HttpHandler;

import java.time.Clock;
import java.util.Objects;

/**
 * What a standalone server needs to be usable, on GitLab's routes: the instance's version ({@code GET /metadata},
 * {@code GET /version}), users ({@code GET/POST /users},
 * {@code GET /users/:id}, {@code GET /user}, {@code POST /users/:user_id/personal_access_tokens}, {@code POST
 * /users/:id/block|unblock|deactivate|activate}, {@code DELETE /users/:id}), personal access tokens ({@code POST
 * /user/personal_access_tokens}, {@code GET /personal_access_tokens}, {@code GET|DELETE
 * /personal_access_tokens/:id|self}, {@code POST /personal_access_tokens/:id|self/rotate}), projects
 * ({@code GET/POST /projects}, {@code GET/PUT /projects/:id}) and members ({@code GET/POST /projects/:id/members},
 * {@code GET/DELETE /projects/:id/members/:user_id}), as an Undertow {@link HttpHandler} to chain with the other APIs under
 * the same prefix: {@code jobsApi.handler(runnerApi.handler(pipelineApi.handler(adminApi.handler())))}.
 */
public final class AdminApi {
    private final Router<ApiRoute> router;
    private final Authenticator authenticator;
    private final HttpSettings settings;
    private final Clock clock;

    /** @param hooks the project hooks and instance settings (issue 19), or null to serve none */
    public record UseCases(UsersUseCase users, ProjectsUseCase projects, MembersUseCase members,
                           AccessTokensUseCase accessTokens, AuthenticateUseCase authenticate, HookEndpoints hooks) {
        public UseCases {
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(projects, "projects");
            Objects.requireNonNull(members, "members");
            Objects.requireNonNull(accessTokens, "accessTokens");
            Objects.requireNonNull(authenticate, "authenticate");
        }

        /** Without project hooks. */
        public UseCases(UsersUseCase users, ProjectsUseCase projects, MembersUseCase members,
                        AccessTokensUseCase accessTokens, AuthenticateUseCase authenticate) {
            this(users, projects, members, accessTokens, authenticate, null);
        }
    }

    public AdminApi(UseCases useCases, HttpSettings settings, Clock clock) {
        Objects.requireNonNull(useCases, "useCases");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.authenticator = new Authenticator(useCases.authenticate());
        WebUrls urls = new WebUrls(settings.baseUrl());
        UsersUseCase users = useCases.users();
        ProjectsUseCase projects = useCases.projects();
        MembersUseCase members = useCases.members();
        AccessTokensUseCase tokens = useCases.accessTokens();
        Router.Builder<ApiRoute> routes = Router.<ApiRoute>builder()
                // lib/api/users.rb: authenticate_non_get!, then each read decides about anonymous callers
                .add("GET", "/users", route(new ListUsersEndpoint(users, urls), AuthRule.PUBLIC_READ))
                .add("POST", "/users", route(new CreateUserEndpoint(users, urls), AuthRule.USER))
                .add("GET", "/users/:id", route(new GetUserEndpoint(users, urls), AuthRule.PUBLIC_READ))
                .add("POST", "/users/:user_id/personal_access_tokens",
                        route(new CreateTokenEndpoint(tokens), AuthRule.USER))
                .add("POST", "/users/:id/block", route(UserStateEndpoints.block(users), AuthRule.USER))
                .add("POST", "/users/:id/unblock", route(UserStateEndpoints.unblock(users), AuthRule.USER))
                .add("POST", "/users/:id/deactivate", route(UserStateEndpoints.deactivate(users), AuthRule.USER))
                .add("POST", "/users/:id/activate", route(UserStateEndpoints.activate(users), AuthRule.USER))
                .add("DELETE", "/users/:id", route(UserStateEndpoints.delete(users), AuthRule.USER))
                .add("GET", "/user", route(new CurrentUserEndpoint(users, urls), AuthRule.USER))
                // lib/api/metadata.rb: authenticate!
                .add("GET", "/metadata", route(new MetadataEndpoint(), AuthRule.USER))
                .add("GET", "/version", route(new MetadataEndpoint(), AuthRule.USER))
                .add("POST", "/user/personal_access_tokens", route(new CreateOwnTokenEndpoint(tokens), AuthRule.USER))
                // lib/api/personal_access_tokens.rb and personal_access_tokens/self_*.rb: "self" before ":id"
                .add("GET", "/personal_access_tokens", route(new ListTokensEndpoint(tokens), AuthRule.USER))
                .add("GET", "/personal_access_tokens/self", route(TokenEndpoints.getSelf(tokens),
                        AuthRule.SELF_TOKEN))
                .add("DELETE", "/personal_access_tokens/self", route(TokenEndpoints.revokeSelf(tokens),
                        AuthRule.SELF_TOKEN))
                .add("POST", "/personal_access_tokens/self/rotate", route(TokenEndpoints.rotateSelf(tokens),
                        AuthRule.SELF_ROTATION))
                .add("GET", "/personal_access_tokens/:id", route(TokenEndpoints.get(tokens), AuthRule.USER))
                .add("DELETE", "/personal_access_tokens/:id", route(TokenEndpoints.revoke(tokens), AuthRule.USER))
                .add("POST", "/personal_access_tokens/:id/rotate", route(TokenEndpoints.rotate(tokens),
                        AuthRule.ROTATION))
                // lib/api/projects.rb: authenticate_non_get!
                .add("GET", "/projects", route(new ListProjectsEndpoint(projects, urls), AuthRule.PUBLIC_READ))
                .add("POST", "/projects", route(new CreateProjectEndpoint(projects, urls), AuthRule.USER))
                .add("GET", "/projects/:id", route(new GetProjectEndpoint(projects, urls), AuthRule.PUBLIC_READ))
                .add("PUT", "/projects/:id", route(new UpdateProjectEndpoint(projects, urls), AuthRule.USER))
                // lib/api/members.rb: authenticate!
                .add("GET", "/projects/:id/members", route(new ListMembersEndpoint(members, urls), AuthRule.USER))
                .add("POST", "/projects/:id/members", route(new PutMemberEndpoint(members, urls), AuthRule.USER))
                .add("GET", "/projects/:id/members/:user_id",
                        route(new GetMemberEndpoint(members, urls), AuthRule.USER))
                .add("DELETE", "/projects/:id/members/:user_id",
                        route(new RemoveMemberEndpoint(members), AuthRule.USER));
        HookEndpoints hooks = useCases.hooks();
        if (hooks != null) {
            // lib/api/project_hooks.rb: authenticate!, authorize_admin_project; lib/api/settings.rb: admin only
            routes.add("GET", "/projects/:id/hooks", route(hooks.list(), AuthRule.USER))
                    .add("POST", "/projects/:id/hooks", route(hooks.create(), AuthRule.USER))
                    .add("GET", "/projects/:id/hooks/:hook_id", route(hooks.get(), AuthRule.USER))
                    .add("PUT", "/projects/:id/hooks/:hook_id", route(hooks.update(), AuthRule.USER))
                    .add("DELETE", "/projects/:id/hooks/:hook_id", route(hooks.delete(), AuthRule.USER))
                    .add("POST", "/projects/:id/hooks/:hook_id/test/:trigger", route(hooks.test(), AuthRule.USER))
                    .add("GET", "/projects/:id/hooks/:hook_id/events", route(hooks.events(), AuthRule.USER))
                    .add("GET", "/application/settings", route(hooks.getSettings(), AuthRule.USER))
                    .add("PUT", "/application/settings", route(hooks.putSettings(), AuthRule.USER));
        }
        this.router = routes.build();
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
