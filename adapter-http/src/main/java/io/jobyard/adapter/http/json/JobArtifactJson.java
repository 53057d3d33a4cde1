package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.domain.artifact.JobArtifact;

/** GitLab's {@code Entities::Ci::JobArtifact}: one item of a job's {@code artifacts} array. */
@JsonPropertyOrder({"file_type", "size", "filename", "file_format"})
public record JobArtifactJson(
        @JsonProperty("file_type") String fileType,
        @JsonProperty("size") long size,
        @JsonProperty("filename") String filename,
        @JsonProperty("file_format") String fileFormat) {

    public static JobArtifactJson from(JobArtifact artifact) {
        return new JobArtifactJson(artifact.fileType().wireName(), artifact.size(), artifact.filename(),
                artifact.fileFormat().wireName());
    }
}
