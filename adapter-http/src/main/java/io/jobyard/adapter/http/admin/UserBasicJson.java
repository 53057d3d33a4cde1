package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.domain.user.User;

/**
 * GitLab's {@code Entities::UserBasic}, what {@code GET /users} shows anyone but an administrator. Jobyard locks no
 * accounts and keeps no avatars: {@code locked} is false and {@code avatar_url} null, as for such a GitLab user.
 */
@JsonPropertyOrder({"id", "username", "name", "state", "locked", "avatar_url", "web_url"})
record UserBasicJson(
        @JsonProperty("id") long id,
        @JsonProperty("username") String username,
        @JsonProperty("name") String name,
        @JsonProperty("state") String state,
        @JsonProperty("locked") boolean locked,
        @JsonProperty("avatar_url") String avatarUrl,
        @JsonProperty("web_url") String webUrl) {

    static UserBasicJson from(User user, WebUrls urls) {
        return new UserBasicJson(user.id().value(), user.username(), user.name(), user.state().wireName(), false,
                null, urls.user(user.username()));
    }
}
