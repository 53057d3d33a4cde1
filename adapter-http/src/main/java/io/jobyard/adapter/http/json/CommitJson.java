package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.project.Project;

import java.util.List;
import java.util.Map;

/** GitLab's {@code Entities::Commit}. {@code created_at} is the committed date, as in GitLab. */
@JsonPropertyOrder({"id", "short_id", "created_at", "parent_ids", "title", "message", "author_name", "author_email",
        "authored_date", "committer_name", "committer_email", "committed_date", "trailers", "extended_trailers",
        "web_url"})
public record CommitJson(
        @JsonProperty("id") String id,
        @JsonProperty("short_id") String shortId,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("parent_ids") List<String> parentIds,
        @JsonProperty("title") String title,
        @JsonProperty("message") String message,
        @JsonProperty("author_name") String authorName,
        @JsonProperty("author_email") String authorEmail,
        @JsonProperty("authored_date") String authoredDate,
        @JsonProperty("committer_name") String committerName,
        @JsonProperty("committer_email") String committerEmail,
        @JsonProperty("committed_date") String committedDate,
        @JsonProperty("trailers") Map<String, String> trailers,
        @JsonProperty("extended_trailers") Map<String, List<String>> extendedTrailers,
        @JsonProperty("web_url") String webUrl) {

    public static CommitJson from(Commit commit, Project project, WebUrls urls) {
        String committed = ApiTime.withOffset(commit.committedDate());
        return new CommitJson(commit.sha(), commit.shortId(), committed, commit.parentIds(), commit.title(),
                commit.message(), commit.authorName(), commit.authorEmail(), ApiTime.withOffset(commit.authoredDate()),
                commit.committerName(), commit.committerEmail(), committed, Map.of(), Map.of(),
                urls.commit(project, commit.sha()));
    }
}
