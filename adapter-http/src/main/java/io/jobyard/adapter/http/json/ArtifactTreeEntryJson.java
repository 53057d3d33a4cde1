package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.application.port.in.artifact.ArtifactTree;

/**
 * One entry of Jobyard's archive tree listing ({@code GET .../jobs/:job_id/artifacts_tree}; GitLab has no such REST
 * route, only its HTML artifact browser). Named like GitLab's repository tree where the two overlap ({@code name},
 * {@code path}, {@code type}, {@code mode} as an octal string); {@code type} is {@code file} or {@code directory}.
 * Values the archive does not record (a directory's size and CRC, the mode of an archive made on Windows, anything of a
 * directory known only from the files inside it) are null.
 */
@JsonPropertyOrder({"name", "path", "type", "size", "mode", "crc32", "modified_at"})
public record ArtifactTreeEntryJson(
        @JsonProperty("name") String name,
        @JsonProperty("path") String path,
        @JsonProperty("type") String type,
        @JsonProperty("size") Long size,
        @JsonProperty("mode") String mode,
        @JsonProperty("crc32") Long crc32,
        @JsonProperty("modified_at") String modifiedAt) {

    public static ArtifactTreeEntryJson from(ArtifactTree.Entry entry) {
        return new ArtifactTreeEntryJson(entry.name(), entry.path(), entry.directory() ? "directory" : "file",
                entry.size(), entry.mode() == null ? null : String.format("%06o", entry.mode()), entry.crc32(),
                entry.modifiedAt() == null ? null : ApiTime.utc(entry.modifiedAt()));
    }
}
