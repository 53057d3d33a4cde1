package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.UsersUseCase.NewUser;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.domain.user.User;

import java.util.Objects;

/**
 * {@code POST /users} (admin only): GitLab's required {@code username}, {@code name} and {@code email}, and
 * {@code admin}. Jobyard users sign in with tokens only, so the password parameters have nothing to set.
 */
final class CreateUserEndpoint implements Endpoint {
    private final UsersUseCase users;
    private final WebUrls urls;

    CreateUserEndpoint(UsersUseCase users, WebUrls urls) {
        this.users = Objects.requireNonNull(users, "users");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        Params params = request.params();
        String email = AdminParams.requiredText(params, "email");
        String name = AdminParams.requiredText(params, "name");
        String username = AdminParams.requiredText(params, "username");
        boolean admin = params.bool("admin").orElse(false);
        User user = users.createUser(request.actor(), new NewUser(username, name, email, admin));
        return Reply.Json.created(AdminUserJson.from(user, urls));
    }
}
