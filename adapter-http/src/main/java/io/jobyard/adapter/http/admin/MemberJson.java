package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.jobyard.adapter.http.json.UserBasicJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.user.User;

/**
 * GitLab's {@code Entities::Member}: the user's basics ({@code UserBasic}) and the access level; memberships never
 * expire here. Jobyard does not record when a membership began, so GitLab's {@code created_at} is left out rather
 * than made up.
 */
@JsonPropertyOrder({"basic", "access_level", "expires_at"})
record MemberJson(
        @JsonUnwrapped UserBasicJson basic,
        @JsonProperty("access_level") int accessLevel,
        @JsonProperty("expires_at") String expiresAt) {

    static MemberJson from(User user, Role role, WebUrls urls) {
        return new MemberJson(UserBasicJson.from(user, urls), role.accessLevel(), null);
    }
}
