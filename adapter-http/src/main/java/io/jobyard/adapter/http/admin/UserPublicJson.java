package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.json.ApiTime;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.domain.user.User;

/**
 * What {@code GET /user} shows a user who is no administrator: the fields of GitLab's {@code UserPublic} that Jobyard
 * keeps, the same as {@link AdminUserJson} shows an administrator but without {@code is_admin}, as GitLab's two
 * entities differ.
 */
@JsonPropertyOrder({"id", "username", "name", "state", "locked", "avatar_url", "web_url", "created_at", "bot",
        "email"})
record UserPublicJson(
        @JsonProperty("id") long id,
        @JsonProperty("username") String username,
        @JsonProperty("name") String name,
        @JsonProperty("state") String state,
        @JsonProperty("locked") boolean locked,
        @JsonProperty("avatar_url") String avatarUrl,
        @JsonProperty("web_url") String webUrl,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("bot") boolean bot,
        @JsonProperty("email") String email) {

    static UserPublicJson from(User user, WebUrls urls) {
        return new UserPublicJson(user.id().value(), user.username(), user.name(), user.state().wireName(), false,
                null, urls.user(user.username()), ApiTime.utc(user.createdAt()), user.bot(), user.email());
    }
}
