package io.jobyard.adapter.http.runner;

import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.domain.runner.Runner;

import java.util.Map;
import java.util.Objects;

/** {@code POST /runners/verify}: 200 with the runner's id when {@code token} is a runner's; 403 otherwise. */
final class VerifyRunnerEndpoint implements RunnerEndpoint {
    private final RunnersUseCase runners;

    VerifyRunnerEndpoint(RunnersUseCase runners) {
        this.runners = Objects.requireNonNull(runners, "runners");
    }

    @Override
    public void serve(RunnerCall call) throws Exception {
        String token = RunnerParams.requiredToken(call.bodyParams());
        Runner runner = runners.verify(token);
        call.json(200, RunnerTokenJson.from(runner, token), Map.of());
    }
}
