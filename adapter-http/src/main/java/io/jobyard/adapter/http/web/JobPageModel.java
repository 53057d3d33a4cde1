package io.jobyard.adapter.http.web;

import io.jobyard.application.port.in.job.JobView;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.Job;

import java.time.Instant;
import java.util.Optional;

/**
 * The job page.
 *
 * @param projectUrl  the project's pages ({@code /acme/app})
 * @param log         the part of the log shown (the tail, or an earlier part on request)
 * @param logSize     the log's size in bytes now
 * @param earlierUrl  the page with the part before the shown one, or null when it starts at the beginning
 * @param followUrl   the log's event stream, when the job may still write to it; null otherwise
 * @param mayAct      the visitor may use the job's actions (Developer or more, or an administrator)
 */
public record JobPageModel(PageFrame frame, JobView view, String projectUrl, JobLog log, long logSize,
                           String earlierUrl, String followUrl, boolean mayAct, Instant now) {

    public Job job() {
        return view.job();
    }

    public String jobUrl() {
        return projectUrl + "/-/jobs/" + job().id().value();
    }

    public String pipelineUrl() {
        return projectUrl + "/-/pipelines/" + job().pipelineId().value();
    }

    public Optional<JobArtifact> archive() {
        return view.artifacts().archive();
    }

    public boolean canRetry() {
        return mayAct && job().retryable(view.archived());
    }

    public boolean canCancel() {
        return mayAct && job().cancelable();
    }

    public boolean canPlay() {
        return mayAct && job().playable(view.archived());
    }

    public boolean canErase() {
        return mayAct && job().erasable(!view.artifacts().all().isEmpty() || logSize > 0);
    }

    public boolean canKeep() {
        return mayAct && archive().map(a -> a.expireAt() != null && !a.locked() && !a.expired(now)).orElse(false)
                && !view.archived();
    }

    public String duration() {
        return job().duration(now).map(Views::duration).orElse("");
    }

    public String queuedDuration() {
        return job().queuedDuration(now).map(Views::duration).orElse("");
    }
}
