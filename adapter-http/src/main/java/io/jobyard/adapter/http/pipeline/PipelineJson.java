package io.jobyard.adapter.http.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.json.ApiTime;
import io.jobyard.adapter.http.json.UserJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.user.User;

import java.time.Duration;

/**
 * GitLab's {@code Entities::Ci::Pipeline} as {@code POST /projects/:id/pipeline} answers it, without
 * {@code detailed_status} (the UI badge, which Jobyard does not render). {@code before_sha} is GitLab's all-zero sha
 * for a pipeline that no push created.
 */
@JsonPropertyOrder({"id", "iid", "project_id", "sha", "ref", "status", "source", "created_at", "updated_at",
        "web_url", "before_sha", "tag", "yaml_errors", "user", "started_at", "finished_at", "committed_at",
        "duration", "queued_duration", "coverage"})
record PipelineJson(
        @JsonProperty("id") long id,
        @JsonProperty("iid") long iid,
        @JsonProperty("project_id") long projectId,
        @JsonProperty("sha") String sha,
        @JsonProperty("ref") String ref,
        @JsonProperty("status") String status,
        @JsonProperty("source") String source,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("web_url") String webUrl,
        @JsonProperty("before_sha") String beforeSha,
        @JsonProperty("tag") boolean tag,
        @JsonProperty("yaml_errors") String yamlErrors,
        @JsonProperty("user") UserJson user,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("finished_at") String finishedAt,
        @JsonProperty("committed_at") String committedAt,
        @JsonProperty("duration") Long duration,
        @JsonProperty("queued_duration") Long queuedDuration,
        @JsonProperty("coverage") String coverage) {
    private static final String NO_SHA = "0".repeat(40);

    /** @param user the pipeline's user, or null */
    static PipelineJson from(Pipeline pipeline, Project project, User user, WebUrls urls) {
        Long duration = pipeline.startedAt() == null || pipeline.finishedAt() == null ? null
                : Duration.between(pipeline.startedAt(), pipeline.finishedAt()).toSeconds();
        Long queued = pipeline.startedAt() == null ? null
                : Duration.between(pipeline.createdAt(), pipeline.startedAt()).toSeconds();
        return new PipelineJson(pipeline.id().value(), pipeline.iid(), pipeline.projectId().value(), pipeline.sha(),
                pipeline.ref(), pipeline.status().wireName(), pipeline.source().wireName(),
                ApiTime.utc(pipeline.createdAt()), ApiTime.utc(pipeline.updatedAt()),
                urls.pipeline(project, pipeline.id().value()), NO_SHA, pipeline.tag(), null,
                user == null ? null : UserJson.from(user, urls), ApiTime.utc(pipeline.startedAt()),
                ApiTime.utc(pipeline.finishedAt()), ApiTime.withOffset(pipeline.commit().committedDate()),
                duration, queued, null);
    }
}
