package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.jobyard.adapter.http.json.ApiTime;
import io.jobyard.adapter.http.json.UserBasicJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.domain.user.User;

/**
 * The user entity {@code POST /users} answers an administrator with (GitLab's {@code UserPublic} fields Jobyard
 * keeps): the public basics plus {@code is_admin} and {@code email}. Jobyard has no avatars, so {@code avatar_url}
 * is null as for a GitLab user without one and Gravatar off.
 */
@JsonPropertyOrder({"basic", "created_at", "bot", "is_admin", "email"})
record AdminUserJson(
        @JsonUnwrapped UserBasicJson basic,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("bot") boolean bot,
        @JsonProperty("is_admin") boolean isAdmin,
        @JsonProperty("email") String email) {

    static AdminUserJson from(User user, WebUrls urls) {
        return new AdminUserJson(UserBasicJson.from(user, urls), ApiTime.utc(user.createdAt()), user.bot(),
                user.admin(), user.email());
    }
}
