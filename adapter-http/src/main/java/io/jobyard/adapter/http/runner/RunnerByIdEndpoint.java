package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.auth.AuthRule;
import io.jobyard.adapter.http.auth.Authenticator;
import io.jobyard.adapter.http.auth.Credentials;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.application.port.in.runner.RunnersUseCase.CreatedRunner;
import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.runner.RunnerId;

import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;

/**
 * lib/api/ci/runners.rb's user-facing routes for one runner, so a leaked runner token can be cut off:
 * {@code DELETE /runners/:id} (204) and {@code POST /runners/:id/reset_authentication_token} (201 with GitLab's
 * {@code ResetTokenResult}: the new token, shown once, and {@code token_expires_at}). Authenticated by a personal
 * access token like {@code POST /user/runners}; {@code :id} is Grape's {@code Integer}.
 */
final class RunnerByIdEndpoint implements RunnerEndpoint {
    private final RunnersUseCase runners;
    private final Authenticator authenticator;
    private final boolean reset;

    private RunnerByIdEndpoint(RunnersUseCase runners, Authenticator authenticator, boolean reset) {
        this.runners = Objects.requireNonNull(runners, "runners");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.reset = reset;
    }

    static RunnerEndpoint delete(RunnersUseCase runners, Authenticator authenticator) {
        return new RunnerByIdEndpoint(runners, authenticator, false);
    }

    static RunnerEndpoint resetToken(RunnersUseCase runners, Authenticator authenticator) {
        return new RunnerByIdEndpoint(runners, authenticator, true);
    }

    @Override
    public void serve(RunnerCall call) throws Exception {
        Params params = call.bodyParams();
        String method = call.exchange().getRequestMethod().toString();
        Actor actor = authenticator.authenticate(Credentials.from(call.exchange().getRequestHeaders(), params),
                AuthRule.USER, method);
        RunnerId id = runnerId(call.rawPathParam("id"));
        if (reset) {
            CreatedRunner renewed = runners.resetToken(actor, id);
            call.json(201, ResetTokenJson.of(renewed.token()), Map.of());
        } else {
            runners.deleteById(actor, id);
            call.empty(204, Map.of());
        }
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
