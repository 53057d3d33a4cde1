package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;

/** GitLab's {@code Entities::Ci::PipelineBasic}. */
@JsonPropertyOrder({"id", "iid", "project_id", "sha", "ref", "status", "source", "created_at", "updated_at",
        "web_url"})
public record PipelineBasicJson(
        @JsonProperty("id") long id,
        @JsonProperty("iid") long iid,
        @JsonProperty("project_id") long projectId,
        @JsonProperty("sha") String sha,
        @JsonProperty("ref") String ref,
        @JsonProperty("status") String status,
        @JsonProperty("source") String source,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("web_url") String webUrl) {

    public static PipelineBasicJson from(Pipeline pipeline, Project project, WebUrls urls) {
        return new PipelineBasicJson(pipeline.id().value(), pipeline.iid(), pipeline.projectId().value(),
                pipeline.sha(), pipeline.ref(), pipeline.status().wireName(), pipeline.source().wireName(),
                ApiTime.utc(pipeline.createdAt()), ApiTime.utc(pipeline.updatedAt()),
                urls.pipeline(project, pipeline.id().value()));
    }
}
