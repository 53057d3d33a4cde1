package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.json.ApiTime;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.domain.project.Project;

/**
 * The fields of GitLab's {@code Entities::Project} that Jobyard's projects have. Jobyard projects hold no repository,
 * so GitLab's repository fields ({@code http_url_to_repo} and the like, which name GitLab's own git server) are left
 * out rather than answered with made-up values; {@code repository_url} is Jobyard's: the repository the project's jobs
 * clone, or null. {@code default_branch} is the one set, else GitLab's default for a repository it cannot read.
 */
@JsonPropertyOrder({"id", "description", "name", "name_with_namespace", "path", "path_with_namespace", "visibility",
        "public_jobs", "web_url", "created_at", "default_branch", "repository_url"})
record ProjectJson(
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
        @JsonProperty("repository_url") String repositoryUrl) {

    static ProjectJson from(Project project, WebUrls urls) {
        // GitLab joins the namespace's and the project's names; a user namespace's name is not kept, so its path
        // stands in for it.
        String nameWithNamespace = String.join(" / ", project.namespacePath().split("/")) + " / " + project.name();
        return new ProjectJson(project.id().value(), project.description(), project.name(), nameWithNamespace,
                project.path(), project.fullPath(), project.visibility().wireName(), project.publicBuilds(),
                urls.project(project), ApiTime.utc(project.createdAt()), project.effectiveDefaultBranch(),
                project.repository() == null ? null : project.repository().value());
    }
}
