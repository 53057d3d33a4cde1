package io.jobyard.adapter.http.hook;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.hook.HookParts.ProjectHookAttrsJson;
import io.jobyard.adapter.http.hook.HookParts.RunnerHookJson;
import io.jobyard.adapter.http.hook.HookParts.UserHookJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.application.port.in.event.JobHookPayload;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;

import java.time.Duration;

/**
 * GitLab's job hook ({@code Gitlab::DataBuilder::Build}), keys in its order. {@code commit} is the pipeline (its
 * {@code id} is the pipeline's, as in GitLab); {@code commit.author_url} is {@code mailto:} the author's email, GitLab's
 * value for an author who is not a user; {@code environment} is null (Jobyard has no environments) and
 * {@code source_pipeline}, which GitLab adds only for child pipelines, never appears.
 */
@JsonPropertyOrder({"object_kind", "ref", "tag", "before_sha", "sha", "retries_count", "build_id", "build_name",
        "build_stage", "build_status", "build_created_at", "build_started_at", "build_finished_at", "build_duration",
        "build_queued_duration", "build_allow_failure", "build_failure_reason", "pipeline_id", "runner", "project_id",
        "project_name", "user", "commit", "repository", "project", "environment"})
record JobHookJson(
        @JsonProperty("object_kind") String objectKind,
        @JsonProperty("ref") String ref,
        @JsonProperty("tag") boolean tag,
        @JsonProperty("before_sha") String beforeSha,
        @JsonProperty("sha") String sha,
        @JsonProperty("retries_count") int retriesCount,
        @JsonProperty("build_id") long buildId,
        @JsonProperty("build_name") String buildName,
        @JsonProperty("build_stage") String buildStage,
        @JsonProperty("build_status") String buildStatus,
        @JsonProperty("build_created_at") String buildCreatedAt,
        @JsonProperty("build_started_at") String buildStartedAt,
        @JsonProperty("build_finished_at") String buildFinishedAt,
        @JsonProperty("build_duration") Double buildDuration,
        @JsonProperty("build_queued_duration") Double buildQueuedDuration,
        @JsonProperty("build_allow_failure") boolean buildAllowFailure,
        @JsonProperty("build_failure_reason") String buildFailureReason,
        @JsonProperty("pipeline_id") long pipelineId,
        @JsonProperty("runner") RunnerHookJson runner,
        @JsonProperty("project_id") long projectId,
        @JsonProperty("project_name") String projectName,
        @JsonProperty("user") UserHookJson user,
        @JsonProperty("commit") CommitJson commit,
        @JsonProperty("repository") RepositoryJson repository,
        @JsonProperty("project") ProjectHookAttrsJson project,
        @JsonProperty("environment") Object environment) {

    @JsonPropertyOrder({"id", "name", "sha", "message", "author_name", "author_email", "author_url", "status",
            "duration", "started_at", "finished_at"})
    record CommitJson(@JsonProperty("id") long id, @JsonProperty("name") String name,
                      @JsonProperty("sha") String sha, @JsonProperty("message") String message,
                      @JsonProperty("author_name") String authorName,
                      @JsonProperty("author_email") String authorEmail,
                      @JsonProperty("author_url") String authorUrl, @JsonProperty("status") String status,
                      @JsonProperty("duration") Long duration, @JsonProperty("started_at") String startedAt,
                      @JsonProperty("finished_at") String finishedAt) {
    }

    @JsonPropertyOrder({"name", "url", "description", "homepage", "git_http_url", "git_ssh_url", "visibility_level"})
    record RepositoryJson(@JsonProperty("name") String name, @JsonProperty("url") String url,
                          @JsonProperty("description") String description,
                          @JsonProperty("homepage") String homepage,
                          @JsonProperty("git_http_url") String gitHttpUrl,
                          @JsonProperty("git_ssh_url") String gitSshUrl,
                          @JsonProperty("visibility_level") int visibilityLevel) {
    }

    static JobHookJson from(JobHookPayload payload, WebUrls urls) {
        Job job = payload.job();
        Pipeline pipeline = payload.pipeline();
        Project project = payload.project();
        String authorEmail = pipeline.commit().authorEmail() == null ? "" : pipeline.commit().authorEmail();
        CommitJson commit = new CommitJson(pipeline.id().value(), null, pipeline.sha(),
                pipeline.commit().message() == null ? "" : pipeline.commit().message(),
                pipeline.commit().authorName() == null ? "" : pipeline.commit().authorName(), authorEmail,
                "mailto:" + authorEmail, pipeline.status().wireName(), pipelineDuration(pipeline),
                HookTime.of(pipeline.startedAt()), HookTime.of(pipeline.finishedAt()));
        String ssh = HookParts.sshUrl(project, urls);
        RepositoryJson repository = new RepositoryJson(project.name(), ssh, project.description(),
                urls.project(project), HookParts.httpUrl(project, urls), ssh, project.visibility().level());
        return new JobHookJson("build", job.ref(), job.tag(), pipeline.effectiveBeforeSha(), pipeline.sha(),
                payload.retriesCount(), job.id().value(), job.name(), job.stage(), job.status().wireName(),
                HookTime.of(job.createdAt()), HookTime.of(job.startedAt()), HookTime.of(job.finishedAt()),
                job.duration(payload.builtAt()).orElse(null), job.queuedDuration(payload.builtAt()).orElse(null),
                job.allowFailure(), job.failureReason() == null ? null : job.failureReason().wireName(),
                pipeline.id().value(), RunnerHookJson.from(payload.runner()), project.id().value(),
                HookParts.fullName(project), UserHookJson.from(payload.user()), commit, repository,
                ProjectHookAttrsJson.from(project, urls), null);
    }

    /** GitLab's pipeline {@code duration}: whole seconds from start to finish, null until it finished. */
    static Long pipelineDuration(Pipeline pipeline) {
        return pipeline.startedAt() == null || pipeline.finishedAt() == null ? null
                : Duration.between(pipeline.startedAt(), pipeline.finishedAt()).toSeconds();
    }
}
