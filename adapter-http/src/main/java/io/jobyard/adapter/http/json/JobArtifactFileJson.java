package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.domain.artifact.JobArtifact;

/** GitLab's {@code Entities::Ci::JobArtifactFile}: the job's {@code artifacts_file} (its archive). */
@JsonPropertyOrder({"filename", "size"})
public record JobArtifactFileJson(@JsonProperty("filename") String filename, @JsonProperty("size") long size) {
    public static JobArtifactFileJson from(JobArtifact archive) {
        return new JobArtifactFileJson(archive.filename(), archive.size());
    }
}
