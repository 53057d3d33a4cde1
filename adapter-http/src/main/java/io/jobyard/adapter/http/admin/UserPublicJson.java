package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.jobyard.adapter.http.json.ApiTime;
import io.jobyard.adapter.http.json.UserBasicJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.domain.user.User;

/**
 * What {@code GET /user} shows a user who is no administrator: the fields of GitLab's {@code UserPublic} that Jobyard
 * keeps, the same as {@link AdminUserJson} shows an administrator but without {@code is_admin}, as GitLab's two
 * entities differ.
 */
@JsonPropertyOrder({"basic", "created_at", "bot", "email"})
record UserPublicJson(
        @JsonUnwrapped UserBasicJson basic,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("bot") boolean bot,
        @JsonProperty("email") String email) {

    static UserPublicJson from(User user, WebUrls urls) {
        return new UserPublicJson(UserBasicJson.from(user, urls), ApiTime.utc(user.createdAt()), user.bot(),
                user.email());
    }
}
