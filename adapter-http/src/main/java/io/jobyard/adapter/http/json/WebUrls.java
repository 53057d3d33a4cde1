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

    public String commit(Project project, String sha) {
        return project(project) + "/-/commit/" + sha;
    }

    public String user(String username) {
        return baseUrl + "/" + username;
    }
}
