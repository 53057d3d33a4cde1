package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.runner.RunnersUseCase;

import java.util.Objects;

/** {@code DELETE /runners}: the runner owning {@code token} unregisters itself; 204, or 403 for an unknown token. */
public final class DeleteRunnerEndpoint implements Endpoint {
    private final RunnersUseCase runners;

    public DeleteRunnerEndpoint(RunnersUseCase runners) {
        this.runners = Objects.requireNonNull(runners, "runners");
    }

    @Override
    public Reply handle(ApiRequest request) {
        runners.delete(RunnerParams.requiredToken(request.params()));
        return new Reply.Empty(204);
    }
}
