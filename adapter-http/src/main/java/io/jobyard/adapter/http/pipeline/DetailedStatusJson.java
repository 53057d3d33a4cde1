package io.jobyard.adapter.http.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.project.Project;

/**
 * GitLab's {@code DetailedStatusEntity} of a pipeline ({@code Gitlab::Ci::Status::Pipeline::Factory}): the core
 * status of each GitLab status, extended to "passed with warnings" when an allowed failure happened, "Blocked" while
 * a manual job waits and "Delayed" while a delayed one does. Pipeline statuses have no illustration and no action;
 * whoever sees the pipeline may open its page. Jobyard serves no assets, so the favicon path carries no digest.
 */
@JsonPropertyOrder({"icon", "text", "label", "group", "tooltip", "has_details", "details_path", "illustration",
        "favicon"})
public record DetailedStatusJson(
        @JsonProperty("icon") String icon,
        @JsonProperty("text") String text,
        @JsonProperty("label") String label,
        @JsonProperty("group") String group,
        @JsonProperty("tooltip") String tooltip,
        @JsonProperty("has_details") boolean hasDetails,
        @JsonProperty("details_path") String detailsPath,
        @JsonProperty("illustration") Object illustration,
        @JsonProperty("favicon") String favicon) {

    private record Core(String text, String label, String icon, String favicon, String group) {
    }

    public static DetailedStatusJson of(JobStatus status, boolean warnings, Project project, long pipelineId,
                                 WebUrls urls) {
        Core core = core(status);
        String text = core.text();
        String label = core.label();
        String icon = core.icon();
        String group = core.group();
        if (status == JobStatus.SUCCESS && warnings) {
            text = "Warning";
            label = "passed with warnings";
            icon = "status_warning";
            group = "success-with-warnings";
        } else if (status == JobStatus.MANUAL) {
            text = "Blocked";
            label = "waiting for manual action";
        } else if (status == JobStatus.SCHEDULED) {
            text = "Delayed";
            label = "waiting for delayed job";
        }
        return new DetailedStatusJson(icon, text, label, group, label, true,
                urls.pipelinePath(project, pipelineId), null,
                urls.relativeRoot() + "/assets/ci_favicons/" + core.favicon() + ".png");
    }

    private static Core core(JobStatus status) {
        return switch (status) {
            case CREATED -> plain("Created", "created", "created");
            case PENDING -> plain("Pending", "pending", "pending");
            case RUNNING -> plain("Running", "running", "running");
            case SUCCESS -> plain("Passed", "passed", "success");
            case FAILED -> plain("Failed", "failed", "failed");
            case CANCELED -> plain("Canceled", "canceled", "canceled");
            case CANCELING -> new Core("Canceling", "canceling", "status_canceled", "favicon_status_canceled",
                    "canceling");
            case SKIPPED -> plain("Skipped", "skipped", "skipped");
            case MANUAL -> plain("Manual", "manual action", "manual");
            case SCHEDULED -> plain("Scheduled", "scheduled", "scheduled");
            case PREPARING -> plain("Preparing", "preparing", "preparing");
            case WAITING_FOR_RESOURCE -> new Core("Waiting", "waiting for resource", "status_pending",
                    "favicon_status_pending", "waiting-for-resource");
            case WAITING_FOR_CALLBACK -> new Core("Waiting", "waiting for callback", "status_pending",
                    "favicon_status_pending", "waiting-for-callback");
        };
    }

    /** A core status whose icon, favicon and group are named after it. */
    private static Core plain(String text, String label, String name) {
        return new Core(text, label, "status_" + name, "favicon_status_" + name, name);
    }
}
