package io.jobyard.adapter.http.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * GitLab's {@code Entities::Ci::PipelineWithMetadata} ({@code GET /projects/:id/pipelines/:pipeline_id}): the
 * pipeline entity and its {@code name} last. Jobyard's pipelines have no name ({@code workflow:name} is not in its
 * configuration subset), so it is null, as GitLab's is for a pipeline without one.
 */
@JsonPropertyOrder({"pipeline", "name"})
record PipelineWithMetadataJson(@JsonUnwrapped PipelineJson pipeline, @JsonProperty("name") String name) {
    static PipelineWithMetadataJson of(PipelineJson pipeline) {
        return new PipelineWithMetadataJson(pipeline, null);
    }
}
