package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.application.port.in.runner.RunnersUseCase.CreatedRunner;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.runner.RunnerId;

import java.math.BigInteger;
import java.util.Objects;

/**
 * lib/api/ci/runners.rb's user-facing routes for one runner, so a leaked runner token can be cut off:
 * {@code DELETE /runners/:id} (204) and {@code POST /runners/:id/reset_authentication_token} (201 with GitLab's
 * {@code ResetTokenResult}: the new token, shown once, and {@code token_expires_at}). Authenticated by a personal
 * access token like {@code POST /user/runners}; {@code :id} is Grape's {@code Integer}.
 */
public final class RunnerByIdEndpoint implements Endpoint {
    private final RunnersUseCase runners;
    private final boolean reset;

    private RunnerByIdEndpoint(RunnersUseCase runners, boolean reset) {
        this.runners = Objects.requireNonNull(runners, "runners");
        this.reset = reset;
    }

    public static Endpoint delete(RunnersUseCase runners) {
        return new RunnerByIdEndpoint(runners, false);
    }

    public static Endpoint resetToken(RunnersUseCase runners) {
        return new RunnerByIdEndpoint(runners, true);
    }

    @Override
    public Reply handle(ApiRequest request) {
        RunnerId id = runnerId(request.rawPath("id"));
        if (reset) {
            CreatedRunner renewed = runners.resetToken(request.actor(), id);
            return Reply.Json.created(ResetTokenJson.of(renewed.token()));
        }
        runners.deleteById(request.actor(), id);
        return new Reply.Empty(204);
    }

    /** Not an integer is Grape's 400; an integer that names no runner GitLab's {@code find} miss. */
    private static RunnerId runnerId(String raw) {
        BigInteger value = raw == null ? null : Params.parseInteger(raw).orElse(null);
        if (value == null) {
            throw Params.invalid("id");
        }
        if (value.signum() <= 0 || value.bitLength() > 63) {
            throw NotFoundException.record("Runner");
        }
        return RunnerId.of(value.longValue());
    }
}
