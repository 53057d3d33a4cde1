package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.runner.UpdateJobUseCase;
import io.jobyard.application.port.in.runner.UpdateJobUseCase.JobUpdated;
import io.jobyard.application.port.in.runner.UpdateJobUseCase.UpdateJobCommand;
import io.jobyard.domain.job.JobId;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code PUT /jobs/:id} (contract §5.2): {@code token}, {@code state}, {@code failure_reason}, {@code exit_code}.
 * GitLab answers with the status code as the body ({@code 200}; {@code 400} for an unknown state) and the job's status
 * in {@code Job-Status}.
 *
 * <p>GitLab's route {@code requires :token}: Grape refuses a request without it
 * ({@code 400 {"error":"token is missing"}}) before the job is authenticated, so the {@code JOB-TOKEN} header other
 * runner routes accept does not stand in for it here. Parameters the route does not declare — {@code trace}, which runners before 15.0 sent with the
 * whole log — are ignored, as Grape's {@code declared_params} ignores them.
 */
public final class UpdateJobEndpoint implements Endpoint {
    private final UpdateJobUseCase updateJob;

    public UpdateJobEndpoint(UpdateJobUseCase updateJob) {
        this.updateJob = Objects.requireNonNull(updateJob, "updateJob");
    }

    @Override
    public Reply handle(ApiRequest request) {
        JobId job = RunnerParams.jobId(request);
        Params params = request.params();
        String token = RunnerParams.requiredToken(params);
        Integer exitCode = params.integer("exit_code").map(UpdateJobEndpoint::exitCode).orElse(null);
        JobUpdated updated = updateJob.update(new UpdateJobCommand(job, token, params.text("state").orElse(null),
                params.text("failure_reason").orElse(null), exitCode));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(RunnerParams.JOB_STATUS, updated.jobStatus().wireName());
        headers.put(RunnerParams.UPDATE_INTERVAL, RunnerParams.UPDATE_INTERVAL_SECONDS);
        // GitLab answers with the status code itself as the (JSON) body.
        int status = updated.outcome() == UpdateJobUseCase.Outcome.UPDATED ? 200 : 400;
        return new Reply.Json(status, status, headers);
    }

    private static Integer exitCode(BigInteger value) {
        if (value.bitLength() > 31) {
            throw Params.invalid("exit_code");
        }
        return value.intValue();
    }
}
