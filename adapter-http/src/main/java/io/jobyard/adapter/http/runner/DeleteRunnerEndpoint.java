package io.jobyard.adapter.http.runner;

import io.jobyard.application.port.in.runner.RunnersUseCase;

import java.util.Map;
import java.util.Objects;

/** {@code DELETE /runners}: the runner owning {@code token} unregisters itself; 204, or 403 for an unknown token. */
final class DeleteRunnerEndpoint implements RunnerEndpoint {
    private final RunnersUseCase runners;

    DeleteRunnerEndpoint(RunnersUseCase runners) {
        this.runners = Objects.requireNonNull(runners, "runners");
    }

    @Override
    public void serve(RunnerCall call) throws Exception {
        runners.delete(RunnerParams.requiredToken(call.bodyParams()));
        call.empty(204, Map.of());
    }
}
