package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.params.Params;
import io.jobyard.application.port.in.runner.RunnersUseCase;

import java.util.Objects;

/**
 * {@code POST /runners}: GitLab's legacy registration with a registration token ({@code gitlab-runner register
 * --registration-token}). Grape {@code requires :token} (400 {@code {"error":"token is missing"}} without it, an empty
 * one is present); the use case then answers as GitLab 17 does once registration tokens are disabled: 410
 * {@code "410 Gone - runner registration disallowed"} for a registration token, 403
 * {@code "403 Forbidden - invalid token supplied"} for anything else.
 */
final class RegisterRunnerEndpoint implements RunnerEndpoint {
    private final RunnersUseCase runners;

    RegisterRunnerEndpoint(RunnersUseCase runners) {
        this.runners = Objects.requireNonNull(runners, "runners");
    }

    @Override
    public void serve(RunnerCall call) throws Exception {
        String token = call.bodyParams().text("token").orElseThrow(() -> Params.missing("token"));
        runners.registerWithRegistrationToken(token);
    }
}
