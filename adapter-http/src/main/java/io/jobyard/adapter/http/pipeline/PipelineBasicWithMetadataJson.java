package io.jobyard.adapter.http.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.jobyard.adapter.http.json.PipelineBasicJson;

/**
 * GitLab's {@code Entities::Ci::PipelineBasicWithMetadata}, one entry of {@code GET /projects/:id/pipelines}: the
 * basic pipeline and its {@code name} (always null here, see {@link PipelineWithMetadataJson}).
 */
@JsonPropertyOrder({"pipeline", "name"})
record PipelineBasicWithMetadataJson(@JsonUnwrapped PipelineBasicJson pipeline, @JsonProperty("name") String name) {
    static PipelineBasicWithMetadataJson of(PipelineBasicJson pipeline) {
        return new PipelineBasicWithMetadataJson(pipeline, null);
    }
}
