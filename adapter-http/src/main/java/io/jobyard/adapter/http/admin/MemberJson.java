package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.user.User;

/**
 * GitLab's {@code Entities::Member}: the user's basics ({@code UserBasic}) and the access level; memberships never
 * expire here. Jobyard does not record when a membership began, so GitLab's {@code created_at} is left out rather
 * than made up.
 */
@JsonPropertyOrder({"id", "username", "name", "state", "locked", "avatar_url", "web_url", "access_level", "expires_at"})
record MemberJson(
        @JsonProperty("id") long id,
        @JsonProperty("username") String username,
        @JsonProperty("name") String name,
        @JsonProperty("state") String state,
        @JsonProperty("locked") boolean locked,
        @JsonProperty("avatar_url") String avatarUrl,
        @JsonProperty("web_url") String webUrl,
        @JsonProperty("access_level") int accessLevel,
        @JsonProperty("expires_at") String expiresAt) {

    static MemberJson from(User user, Role role, WebUrls urls) {
        return new MemberJson(user.id().value(), user.username(), user.name(), user.state().wireName(), false, null,
                urls.user(user.username()), role.accessLevel(), null);
    }
}
