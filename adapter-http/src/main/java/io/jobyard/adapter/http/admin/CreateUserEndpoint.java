package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.in.admin.UsersUseCase.NewUser;
import io.jobyard.application.port.in.session.PasswordsUseCase;
import io.jobyard.domain.user.User;

import java.util.Objects;

/**
 * {@code POST /users} (admin only): GitLab's required {@code username}, {@code name} and {@code email}, and
 * {@code admin}, and {@code password}: stored as a slow salted hash (never in clear) for signing in to the web pages,
 * checked first against GitLab's length rules (8 to 128 characters). Without {@code password} the user signs in with
 * tokens only (GitLab's {@code reset_password} and {@code force_random_password} have no mail to send here).
 */
public final class CreateUserEndpoint implements Endpoint {
    private final UsersUseCase users;
    private final PasswordsUseCase passwords;
    private final WebUrls urls;

    /** @param passwords null where no passwords are kept: the parameter is then ignored */
    public CreateUserEndpoint(UsersUseCase users, PasswordsUseCase passwords, WebUrls urls) {
        this.users = Objects.requireNonNull(users, "users");
        this.passwords = passwords;
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        Params params = request.params();
        String email = AdminParams.requiredText(params, "email");
        String name = AdminParams.requiredText(params, "name");
        String username = AdminParams.requiredText(params, "username");
        boolean admin = params.bool("admin").orElse(false);
        NewUser newUser = new NewUser(username, name, email, admin);
        String password = params.text("password").orElse(null);
        User user = password != null && passwords != null
                ? passwords.createUser(request.actor(), newUser, password)
                : users.createUser(request.actor(), newUser);
        return Reply.Json.created(AdminUserJson.from(user, urls));
    }
}
