package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
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
@JsonPropertyOrder({"id", "description", "name", "name_with_namespace", "path", "path_with_namespace", "visibility",
        "public_jobs", "web_url", "created_at", "default_branch", "repository_url", "permissions"})
record ProjectWithAccessJson(
        @JsonProperty("id") long id,
        @JsonProperty("description") String description,
        @JsonProperty("name") String name,
        @JsonProperty("name_with_namespace") String nameWithNamespace,
        @JsonProperty("path") String path,
        @JsonProperty("path_with_namespace") String pathWithNamespace,
        @JsonProperty("visibility") String visibility,
        @JsonProperty("public_jobs") boolean publicJobs,
        @JsonProperty("web_url") String webUrl,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("default_branch") String defaultBranch,
        @JsonProperty("repository_url") String repositoryUrl,
        @JsonProperty("permissions") Permissions permissions) {

    private static final int GLOBAL_NOTIFICATION_LEVEL = 3;

    @JsonPropertyOrder({"project_access", "group_access"})
    record Permissions(
            @JsonProperty("project_access") Map<String, Integer> projectAccess,
            @JsonProperty("group_access") Map<String, Integer> groupAccess) {
    }

    static ProjectWithAccessJson from(ProjectView view, WebUrls urls) {
        ProjectJson project = ProjectJson.from(view.project(), urls);
        return new ProjectWithAccessJson(project.id(), project.description(), project.name(),
                project.nameWithNamespace(), project.path(), project.pathWithNamespace(), project.visibility(),
                project.publicJobs(), project.webUrl(), project.createdAt(), project.defaultBranch(),
                project.repositoryUrl(), new Permissions(access(view.role()), null));
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
