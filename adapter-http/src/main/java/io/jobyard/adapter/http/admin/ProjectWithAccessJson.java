package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.application.port.in.admin.ProjectsUseCase.ProjectView;
import io.jobyard.domain.access.Role;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GitLab's {@code Entities::ProjectWithAccess}, what signed-in users get from {@code GET /projects[/:id]}: the
 * {@link ProjectJson} fields plus {@code permissions}, the caller's own membership ({@code project_access}, null
 * when not a member, administrators included) and {@code group_access} (always null: Jobyard has no groups). A new
 * member's notification level is GitLab's default, "global" (3), and Jobyard has no other.
 */
record ProjectWithAccessJson(
        @JsonUnwrapped ProjectJson project,
        @JsonProperty("permissions") Permissions permissions) {

    private static final int GLOBAL_NOTIFICATION_LEVEL = 3;

    @JsonPropertyOrder({"project_access", "group_access"})
    record Permissions(
            @JsonProperty("project_access") Map<String, Integer> projectAccess,
            @JsonProperty("group_access") Map<String, Integer> groupAccess) {
    }

    static ProjectWithAccessJson from(ProjectView view, WebUrls urls) {
        return new ProjectWithAccessJson(ProjectJson.from(view.project(), urls),
                new Permissions(access(view.role()), null));
    }

    private static Map<String, Integer> access(Role role) {
        if (role == null) {
            return null;
        }
        Map<String, Integer> access = new LinkedHashMap<>();
        access.put("access_level", role.accessLevel());
        access.put("notification_level", GLOBAL_NOTIFICATION_LEVEL);
        return access;
    }
}
