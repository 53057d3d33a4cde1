package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.domain.runner.Runner;

import java.util.Objects;

/**
 * {@code POST /runners}: GitLab's legacy registration with a registration token ({@code gitlab-runner register
 * --registration-token}). Grape {@code requires :token} (400 {@code {"error":"token is missing"}} without it, an empty
 * one is present); the use case then answers as GitLab 17 does once registration tokens are disabled: 410
 * {@code "410 Gone - runner registration disallowed"} for a registration token, 403
 * {@code "403 Forbidden - invalid token supplied"} for anything else.
 */
public final class RegisterRunnerEndpoint implements Endpoint {
    private final RunnersUseCase runners;

    public RegisterRunnerEndpoint(RunnersUseCase runners) {
        this.runners = Objects.requireNonNull(runners, "runners");
    }

    @Override
    public Reply handle(ApiRequest request) {
        String token = request.params().text("token").orElseThrow(() -> Params.missing("token"));
        // Never returns while registration tokens are disabled; GitLab's answer if it did: 201 with the runner.
        Runner registered = runners.registerWithRegistrationToken(token);
        return Reply.Json.created(RunnerTokenJson.from(registered, null));
    }
}
