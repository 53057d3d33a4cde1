package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.domain.user.User;

/**
 * GitLab's {@code Entities::UserBasic}: a pipeline's user, {@code GET /users} for anyone but an administrator, and the
 * first fields of every larger user entity ({@link UserJson}, the admin surface's users and members), which embed it
 * as GitLab's entities inherit it. Jobyard keeps no avatars and locks no accounts: {@code locked} is false and
 * {@code avatar_url} null, as for such a GitLab user.
 */
@JsonPropertyOrder({"id", "username", "name", "state", "locked", "avatar_url", "web_url"})
public record UserBasicJson(
        @JsonProperty("id") long id,
        @JsonProperty("username") String username,
        @JsonProperty("name") String name,
        @JsonProperty("state") String state,
        @JsonProperty("locked") boolean locked,
        @JsonProperty("avatar_url") String avatarUrl,
        @JsonProperty("web_url") String webUrl) {

    /** @return null for no user, as GitLab serializes a pipeline without one */
    public static UserBasicJson from(User user, WebUrls urls) {
        if (user == null) {
            return null;
        }
        return new UserBasicJson(user.id().value(), user.username(), user.name(), user.state().wireName(), false,
                null, urls.user(user.username()));
    }
}
