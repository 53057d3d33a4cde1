package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.domain.runner.Runner;

import java.util.Objects;

/** {@code POST /runners/verify}: 200 with the runner's id when {@code token} is a runner's; 403 otherwise. */
public final class VerifyRunnerEndpoint implements Endpoint {
    private final RunnersUseCase runners;

    public VerifyRunnerEndpoint(RunnersUseCase runners) {
        this.runners = Objects.requireNonNull(runners, "runners");
    }

    @Override
    public Reply handle(ApiRequest request) {
        String token = RunnerParams.requiredToken(request.params());
        Runner runner = runners.verify(token);
        return Reply.Json.ok(RunnerTokenJson.from(runner, token));
    }
}
