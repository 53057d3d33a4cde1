package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * GitLab's {@code Entities::Ci::Job} (JobBasic plus the job extras), keys in GitLab's order. Every key is present,
 * with null when there is no value, except the two GitLab adds conditionally and clients test for absence:
 * {@code failure_reason} (only for failed jobs) and {@code artifacts_file} (only while the archive exists and has not
 * expired).
 */
@JsonPropertyOrder({"id", "status", "stage", "name", "ref", "tag", "coverage", "allow_failure", "created_at",
        "started_at", "finished_at", "erased_at", "duration", "queued_duration", "user", "commit", "pipeline",
        "failure_reason", "web_url", "project", "artifacts_file", "artifacts", "runner", "runner_manager",
        "artifacts_expire_at", "archived", "tag_list"})
public record JobJson(
        @JsonProperty("id") long id,
        @JsonProperty("status") String status,
        @JsonProperty("stage") String stage,
        @JsonProperty("name") String name,
        @JsonProperty("ref") String ref,
        @JsonProperty("tag") boolean tag,
        @JsonProperty("coverage") Double coverage,
        @JsonProperty("allow_failure") boolean allowFailure,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("finished_at") String finishedAt,
        @JsonProperty("erased_at") String erasedAt,
        @JsonProperty("duration") Double duration,
        @JsonProperty("queued_duration") Double queuedDuration,
        @JsonProperty("user") UserJson user,
        @JsonProperty("commit") CommitJson commit,
        @JsonProperty("pipeline") PipelineBasicJson pipeline,
        @JsonProperty("failure_reason") @JsonInclude(JsonInclude.Include.NON_NULL) String failureReason,
        @JsonProperty("web_url") String webUrl,
        @JsonProperty("project") JobProjectJson project,
        @JsonProperty("artifacts_file") @JsonInclude(JsonInclude.Include.NON_NULL) JobArtifactFileJson artifactsFile,
        @JsonProperty("artifacts") List<JobArtifactJson> artifacts,
        @JsonProperty("runner") RunnerJson runner,
        @JsonProperty("runner_manager") Object runnerManager,
        @JsonProperty("artifacts_expire_at") String artifactsExpireAt,
        @JsonProperty("archived") boolean archived,
        @JsonProperty("tag_list") List<String> tagList) {

    /**
     * @param now the time live durations are measured to (a running job's duration grows)
     */
    public static JobJson from(JobView view, WebUrls urls, Instant now) {
        Job job = view.job();
        String failureReason = job.status() == JobStatus.FAILED && job.failureReason() != null
                ? job.failureReason().wireName() : null;
        JobArtifactFileJson artifactsFile = view.artifacts().present(now)
                ? view.artifacts().archive().map(JobArtifactFileJson::from).orElse(null) : null;
        List<JobArtifactJson> artifacts = view.artifacts().all().stream()
                .sorted(Comparator.comparing(JobArtifact::id))
                .map(JobArtifactJson::from)
                .toList();
        boolean executing = job.status().isExecuting();
        return new JobJson(
                job.id().value(),
                job.status().wireName(),
                job.stage(),
                job.name(),
                job.ref(),
                job.tag(),
                job.coverage(),
                job.allowFailure(),
                ApiTime.utc(job.createdAt()),
                ApiTime.utc(job.startedAt()),
                ApiTime.utc(job.finishedAt()),
                ApiTime.utc(job.erasedAt()),
                job.duration(now).orElse(null),
                job.queuedDuration(now).orElse(null),
                UserJson.from(view.user(), urls),
                CommitJson.from(view.pipeline().commit(), view.project(), urls),
                PipelineBasicJson.from(view.pipeline(), view.project(), urls),
                failureReason,
                urls.job(view.project(), job.id().value()),
                JobProjectJson.from(view.project()),
                artifactsFile,
                artifacts,
                RunnerJson.from(view.runner(), executing, now),
                null,
                ApiTime.utc(job.artifactsExpireAt()),
                view.archived(),
                job.spec().tags());
    }
}
