package io.jobyard.adapter.http.hook;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.hook.HookParts.ProjectHookAttrsJson;
import io.jobyard.adapter.http.hook.HookParts.RunnerHookJson;
import io.jobyard.adapter.http.hook.HookParts.UserHookJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.pipeline.DetailedStatusJson;
import io.jobyard.application.port.in.event.PipelineHookPayload;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * GitLab's pipeline hook ({@code Gitlab::DataBuilder::Pipeline}), keys in its order. {@code name} is null (Jobyard
 * has no {@code workflow:name}), {@code protected_ref} false (no protected refs), {@code merge_request} null;
 * {@code commit} carries the commit facts the pipeline was created with; every job's {@code environment} is null.
 */
@JsonPropertyOrder({"object_kind", "object_attributes", "merge_request", "user", "project", "commit", "builds"})
record PipelineHookJson(
        @JsonProperty("object_kind") String objectKind,
        @JsonProperty("object_attributes") AttributesJson objectAttributes,
        @JsonProperty("merge_request") Object mergeRequest,
        @JsonProperty("user") UserHookJson user,
        @JsonProperty("project") ProjectHookAttrsJson project,
        @JsonProperty("commit") CommitJson commit,
        @JsonProperty("builds") List<BuildJson> builds) {

    @JsonPropertyOrder({"id", "iid", "name", "ref", "tag", "sha", "before_sha", "source", "status", "detailed_status",
            "stages", "created_at", "finished_at", "duration", "queued_duration", "protected_ref", "variables", "url"})
    record AttributesJson(@JsonProperty("id") long id, @JsonProperty("iid") long iid,
                          @JsonProperty("name") String name, @JsonProperty("ref") String ref,
                          @JsonProperty("tag") boolean tag, @JsonProperty("sha") String sha,
                          @JsonProperty("before_sha") String beforeSha, @JsonProperty("source") String source,
                          @JsonProperty("status") String status,
                          @JsonProperty("detailed_status") String detailedStatus,
                          @JsonProperty("stages") List<String> stages,
                          @JsonProperty("created_at") String createdAt,
                          @JsonProperty("finished_at") String finishedAt,
                          @JsonProperty("duration") Long duration,
                          @JsonProperty("queued_duration") Long queuedDuration,
                          @JsonProperty("protected_ref") boolean protectedRef,
                          @JsonProperty("variables") List<Map<String, String>> variables,
                          @JsonProperty("url") String url) {
    }

    /** {@code Commit#hook_attrs}. */
    @JsonPropertyOrder({"id", "message", "title", "timestamp", "url", "author"})
    record CommitJson(@JsonProperty("id") String id, @JsonProperty("message") String message,
                      @JsonProperty("title") String title, @JsonProperty("timestamp") String timestamp,
                      @JsonProperty("url") String url, @JsonProperty("author") Map<String, String> author) {
    }

    @JsonPropertyOrder({"id", "stage", "name", "status", "created_at", "started_at", "finished_at", "duration",
            "queued_duration", "failure_reason", "when", "manual", "allow_failure", "user", "runner", "artifacts_file",
            "environment"})
    record BuildJson(@JsonProperty("id") long id, @JsonProperty("stage") String stage,
                     @JsonProperty("name") String name, @JsonProperty("status") String status,
                     @JsonProperty("created_at") String createdAt, @JsonProperty("started_at") String startedAt,
                     @JsonProperty("finished_at") String finishedAt, @JsonProperty("duration") Double duration,
                     @JsonProperty("queued_duration") Double queuedDuration,
                     @JsonProperty("failure_reason") String failureReason, @JsonProperty("when") String when,
                     @JsonProperty("manual") boolean manual, @JsonProperty("allow_failure") boolean allowFailure,
                     @JsonProperty("user") UserHookJson user, @JsonProperty("runner") RunnerHookJson runner,
                     @JsonProperty("artifacts_file") Map<String, Object> artifactsFile,
                     @JsonProperty("environment") Object environment) {
    }

    /** Ruby's {@code Time#xmlschema} of a git time: seconds and the committer's offset. */
    private static final java.time.format.DateTimeFormatter XMLSCHEMA =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    static PipelineHookJson from(PipelineHookPayload payload, WebUrls urls) {
        Pipeline pipeline = payload.pipeline();
        Project project = payload.project();
        boolean warnings = payload.builds().stream()
                .anyMatch(b -> b.job().status() == JobStatus.FAILED && b.job().allowFailure());
        Long duration = JobHookJson.pipelineDuration(pipeline);
        Long queued = pipeline.startedAt() == null ? null
                : Duration.between(pipeline.createdAt(), pipeline.startedAt()).toSeconds();
        AttributesJson attributes = new AttributesJson(pipeline.id().value(), pipeline.iid(), null, pipeline.ref(),
                pipeline.tag(), pipeline.sha(), pipeline.effectiveBeforeSha(), pipeline.source().wireName(),
                pipeline.status().wireName(),
                DetailedStatusJson.of(pipeline.status(), warnings, project, pipeline.id().value(), urls).label(),
                pipeline.stages(), HookTime.of(pipeline.createdAt()), HookTime.of(pipeline.finishedAt()), duration,
                queued, false, pipeline.variables().stream()
                .map(v -> keyAndValue(v.key(), v.value())).toList(),
                urls.pipeline(project, pipeline.id().value()));
        Commit commit = pipeline.commit();
        java.util.LinkedHashMap<String, String> author = new java.util.LinkedHashMap<>();
        author.put("name", commit.authorName() == null ? "" : commit.authorName());
        author.put("email", commit.authorEmail() == null ? "" : commit.authorEmail());
        CommitJson commitJson = new CommitJson(commit.sha(), commit.message() == null ? "" : commit.message(),
                commit.title(), commit.authoredDate() == null
                ? java.time.format.DateTimeFormatter.ISO_INSTANT.format(pipeline.createdAt().truncatedTo(
                        java.time.temporal.ChronoUnit.SECONDS))
                : XMLSCHEMA.format(commit.authoredDate()), urls.commit(project, commit.sha()), author);
        List<BuildJson> builds = payload.builds().stream().map(build -> {
            Job job = build.job();
            java.util.LinkedHashMap<String, Object> artifacts = new java.util.LinkedHashMap<>();
            artifacts.put("filename", build.archive() == null ? null : build.archive().filename());
            artifacts.put("size", build.archive() == null ? null : build.archive().size());
            return new BuildJson(job.id().value(), job.stage(), job.name(), job.status().wireName(),
                    HookTime.of(job.createdAt()), HookTime.of(job.startedAt()), HookTime.of(job.finishedAt()),
                    job.duration(payload.builtAt()).orElse(null), job.queuedDuration(payload.builtAt()).orElse(null),
                    job.status() == JobStatus.FAILED && job.failureReason() != null ? job.failureReason().wireName()
                            : null,
                    job.spec().when().wireName(), job.spec().isAction(), job.allowFailure(),
                    UserHookJson.from(build.user()), RunnerHookJson.from(build.runner()), artifacts, null);
        }).toList();
        return new PipelineHookJson("pipeline", attributes, null, UserHookJson.from(payload.user()),
                ProjectHookAttrsJson.from(project, urls), commitJson, builds);
    }

    /** {@code Ci::PipelineVariable#hook_attrs}: key, then value — in that order (Map.of would not keep it). */
    private static Map<String, String> keyAndValue(String key, String value) {
        Map<String, String> variable = new java.util.LinkedHashMap<>();
        variable.put("key", key);
        variable.put("value", value);
        return variable;
    }
}
