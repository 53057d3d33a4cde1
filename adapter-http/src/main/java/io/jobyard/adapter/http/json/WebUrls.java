package io.jobyard.adapter.http.json;

import io.jobyard.domain.project.Project;

import java.util.Objects;

/** GitLab's web URLs, built from the configured external URL the way GitLab's route helpers build them. */
public record WebUrls(String baseUrl) {
    public WebUrls {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (baseUrl.endsWith("/")) {
            throw new IllegalArgumentException("base URL must not end with '/'");
        }
    }

    public String project(Project project) {
        return baseUrl + "/" + project.fullPath();
    }

    public String job(Project project, long jobId) {
        return project(project) + "/-/jobs/" + jobId;
    }

    public String pipeline(Project project, long pipelineId) {
        return project(project) + "/-/pipelines/" + pipelineId;
    }

    /** The pipeline's page as a path on this server ({@code details_path}): the relative URL root included. */
    public String pipelinePath(Project project, long pipelineId) {
        return relativeRoot() + "/" + project.fullPath() + "/-/pipelines/" + pipelineId;
    }

    /** The path under which the base URL serves, "" at the root of its host. */
    public String relativeRoot() {
        String path = java.net.URI.create(baseUrl).getRawPath();
        return path == null ? "" : path;
    }

    public String commit(Project project, String sha) {
        return project(project) + "/-/commit/" + sha;
    }

    public String user(String username) {
        return baseUrl + "/" + username;
    }
}
