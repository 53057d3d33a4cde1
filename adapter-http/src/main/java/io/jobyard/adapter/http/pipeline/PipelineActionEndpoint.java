package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.RequestValues;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.PipelineView;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;

import java.util.Objects;

/**
 * {@code POST …/pipelines/:pipeline_id/retry} (201) and {@code …/cancel} (200, GitLab sets it explicitly), both
 * answering GitLab's {@code Entities::Ci::Pipeline} as the action left it.
 */
public final class PipelineActionEndpoint implements Endpoint {
    public enum Action { RETRY, CANCEL }

    private final PipelinesUseCase pipelines;
    private final Action action;
    private final WebUrls urls;

    public PipelineActionEndpoint(PipelinesUseCase pipelines, Action action, WebUrls urls) {
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.action = Objects.requireNonNull(action, "action");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        var project = RequestValues.project(request);
        var pipeline = RequestValues.pipelineId(request);
        if (action == Action.RETRY) {
            PipelineView retried = pipelines.retry(request.actor(), project, pipeline);
            return Reply.Json.created(PipelineJson.from(retried, urls));
        }
        return Reply.Json.ok(PipelineJson.from(pipelines.cancel(request.actor(), project, pipeline), urls));
    }
}
