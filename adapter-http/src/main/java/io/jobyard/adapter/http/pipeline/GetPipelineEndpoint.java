package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.RequestValues;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;

import java.util.Objects;

/** {@code GET /projects/:id/pipelines/:pipeline_id}: GitLab's {@code PipelineWithMetadata}. */
public final class GetPipelineEndpoint implements Endpoint {
    private final PipelinesUseCase pipelines;
    private final WebUrls urls;

    public GetPipelineEndpoint(PipelinesUseCase pipelines, WebUrls urls) {
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        var view = pipelines.get(request.actor(), RequestValues.project(request), RequestValues.pipelineId(request));
        return Reply.Json.ok(PipelineWithMetadataJson.of(PipelineJson.from(view, urls)));
    }
}
