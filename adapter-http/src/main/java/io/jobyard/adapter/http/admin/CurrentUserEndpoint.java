package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.domain.user.User;

import java.util.Objects;

/** {@code GET /user}: the caller, as {@code UserPublic}, or with {@code is_admin} for administrators. */
public final class CurrentUserEndpoint implements Endpoint {
    private final UsersUseCase users;
    private final WebUrls urls;

    public CurrentUserEndpoint(UsersUseCase users, WebUrls urls) {
        this.users = Objects.requireNonNull(users, "users");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        User user = users.currentUser(request.actor());
        return Reply.Json.ok(user.admin() ? AdminUserJson.from(user, urls) : UserPublicJson.from(user, urls));
    }
}
