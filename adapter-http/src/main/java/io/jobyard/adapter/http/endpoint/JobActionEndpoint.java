package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.JobJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobId;

import java.util.Objects;

/**
 * The job actions that take nothing but the job — retry, erase, keep — each with the status GitLab answers: 201 for
 * retry and erase (Grape's POST default), 200 for keep (set explicitly in GitLab). Cancel and play read parameters and
 * have their own endpoints.
 */
public final class JobActionEndpoint implements Endpoint {

    /** One of the use case's parameterless actions. */
    @FunctionalInterface
    interface Action {
        JobView apply(JobActionsUseCase actions, Actor actor, ProjectRef project, JobId job);
    }

    private final JobActionsUseCase actions;
    private final WebUrls urls;
    private final Action action;
    private final int status;

    private JobActionEndpoint(JobActionsUseCase actions, WebUrls urls, Action action, int status) {
        this.actions = Objects.requireNonNull(actions, "actions");
        this.urls = Objects.requireNonNull(urls, "urls");
        this.action = action;
        this.status = status;
    }

    /** {@code POST .../retry}: 201 with the NEW job (contract §3.6). */
    public static JobActionEndpoint retry(JobActionsUseCase actions, WebUrls urls) {
        return new JobActionEndpoint(actions, urls, JobActionsUseCase::retry, 201);
    }

    /** {@code POST .../erase}: 201 (contract §3.7). */
    public static JobActionEndpoint erase(JobActionsUseCase actions, WebUrls urls) {
        return new JobActionEndpoint(actions, urls, JobActionsUseCase::erase, 201);
    }

    /** {@code POST .../artifacts/keep} and gitlab4j's {@code POST .../keep}: 200 (contract §3.14, §8.5). */
    public static JobActionEndpoint keep(JobActionsUseCase actions, WebUrls urls) {
        return new JobActionEndpoint(actions, urls, JobActionsUseCase::keepArtifacts, 200);
    }

    @Override
    public Reply handle(ApiRequest request) {
        JobId job = RequestValues.jobId(request);
        JobView view = action.apply(actions, request.actor(), RequestValues.project(request), job);
        return new Reply.Json(status, JobJson.from(view, urls, request.now()), java.util.Map.of());
    }
}
