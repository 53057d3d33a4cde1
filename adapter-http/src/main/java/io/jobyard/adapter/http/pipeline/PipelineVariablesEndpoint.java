package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.RequestValues;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;

import java.util.Objects;

/** {@code GET …/pipelines/:pipeline_id/variables}: the variables given at creation, unpaginated as in GitLab. */
public final class PipelineVariablesEndpoint implements Endpoint {
    private final PipelinesUseCase pipelines;

    public PipelineVariablesEndpoint(PipelinesUseCase pipelines) {
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
    }

    @Override
    public Reply handle(ApiRequest request) {
        return Reply.Json.ok(pipelines.variables(request.actor(), RequestValues.project(request),
                RequestValues.pipelineId(request)).stream().map(PipelineVariableJson::from).toList());
    }
}
