package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.UserJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.domain.user.User;

import java.util.Objects;

/**
 * {@code GET /users/:id}: GitLab's {@code User} entity, or for administrators the admin fields as {@code POST /users}
 * answers them.
 */
public final class GetUserEndpoint implements Endpoint {
    private final UsersUseCase users;
    private final WebUrls urls;

    public GetUserEndpoint(UsersUseCase users, WebUrls urls) {
        this.users = Objects.requireNonNull(users, "users");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        User user = users.getUser(request.actor(), AdminParams.routeUserId(request.path("id")));
        return Reply.Json.ok(request.actor().isAdmin() ? AdminUserJson.from(user, urls) : UserJson.from(user, urls));
    }
}
