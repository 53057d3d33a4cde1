package io.jobyard.adapter.http.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.json.ApiTime;
import io.jobyard.adapter.http.json.UserBasicJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.PipelineView;
import io.jobyard.domain.pipeline.Pipeline;

import java.time.Duration;
import java.util.Locale;

/**
 * GitLab's {@code Entities::Ci::Pipeline}, as creation, retry and cancel answer it: {@code PipelineBasic} and then the
 * details (the basic fields keep their places; GitLab re-exposes the two dates without moving them).
 * {@code before_sha} is GitLab's all-zero sha for a pipeline that no push created; {@code yaml_errors} is always null
 * because Jobyard refuses invalid configurations instead of storing failed pipelines; {@code coverage} is the average
 * of the latest jobs' coverage with two decimals, as GitLab's presenter formats it.
 */
@JsonPropertyOrder({"id", "iid", "project_id", "sha", "ref", "status", "source", "created_at", "updated_at",
        "web_url", "before_sha", "tag", "yaml_errors", "user", "started_at", "finished_at", "committed_at",
        "duration", "queued_duration", "coverage", "detailed_status"})
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
        @JsonProperty("user") UserBasicJson user,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("finished_at") String finishedAt,
        @JsonProperty("committed_at") String committedAt,
        @JsonProperty("duration") Long duration,
        @JsonProperty("queued_duration") Long queuedDuration,
        @JsonProperty("coverage") String coverage,
        @JsonProperty("detailed_status") DetailedStatusJson detailedStatus) {
    private static final String NO_SHA = "0".repeat(40);

    static PipelineJson from(PipelineView view, WebUrls urls) {
        Pipeline pipeline = view.pipeline();
        Long duration = pipeline.startedAt() == null || pipeline.finishedAt() == null ? null
                : Duration.between(pipeline.startedAt(), pipeline.finishedAt()).toSeconds();
        Long queued = pipeline.startedAt() == null ? null
                : Duration.between(pipeline.createdAt(), pipeline.startedAt()).toSeconds();
        return new PipelineJson(pipeline.id().value(), pipeline.iid(), pipeline.projectId().value(), pipeline.sha(),
                pipeline.ref(), pipeline.status().wireName(), pipeline.source().wireName(),
                ApiTime.utc(pipeline.createdAt()), ApiTime.utc(pipeline.updatedAt()),
                urls.pipeline(view.project(), pipeline.id().value()), NO_SHA, pipeline.tag(), null,
                UserBasicJson.from(view.user(), urls), ApiTime.utc(pipeline.startedAt()),
                ApiTime.utc(pipeline.finishedAt()), ApiTime.withOffset(pipeline.commit().committedDate()),
                duration, queued,
                view.coverage() == null ? null : String.format(Locale.ROOT, "%.2f", view.coverage()),
                DetailedStatusJson.of(pipeline.status(), view.warnings(), view.project(), pipeline.id().value(),
                        urls));
    }
}
