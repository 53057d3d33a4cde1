package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.params.ParamValue;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.runner.RequestJobUseCase;
import io.jobyard.application.port.in.runner.RequestJobUseCase.Assigned;
import io.jobyard.application.port.in.runner.RequestJobUseCase.JobRequest;
import io.jobyard.application.port.in.runner.RequestJobUseCase.JobRequestResult;
import io.jobyard.application.port.in.runner.RequestJobUseCase.NoJob;
import io.jobyard.application.port.in.runner.RequestJobUseCase.RunnerInfo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /jobs/request} (contract §5.1): 201 with the job the runner now runs, or 204 with
 * {@code X-GitLab-Last-Update} when there is none; 403 for an unknown runner token.
 */
public final class RequestJobEndpoint implements Endpoint {
    private final RequestJobUseCase requestJob;
    private final LongPolling longPolling;

    public RequestJobEndpoint(RequestJobUseCase requestJob, LongPolling longPolling) {
        this.requestJob = Objects.requireNonNull(requestJob, "requestJob");
        this.longPolling = Objects.requireNonNull(longPolling, "longPolling");
    }

    @Override
    public Reply handle(ApiRequest http) {
        Params params = http.params();
        String token = RunnerParams.requiredToken(params);
        JobRequest request = new JobRequest(token, params.text("system_id").orElse(null),
                params.text("last_update").orElse(null), runnerInfo(params));
        String lastUpdate = request.lastUpdate();
        if (longPolling.enabled() && lastUpdate != null && requestJob.queueUnchanged(token, lastUpdate)) {
            // Held without a thread until the runner's queue changes, then answered as below.
            return new Reply.Deferred((resume, worker) -> longPolling.hold(
                    () -> requestJob.queueUnchanged(token, lastUpdate), resume, worker), () -> answer(request));
        }
        return answer(request);
    }

    private Reply answer(JobRequest request) {
        JobRequestResult result = requestJob.request(request);
        if (result instanceof Assigned assigned) {
            return Reply.Json.created(JobRequestJson.from(assigned.payload()));
        }
        return new Reply.Empty(204, Map.of("X-GitLab-Last-Update", ((NoJob) result).lastUpdate()));
    }

    /** The request's {@code info} hash; anything else in its place is ignored, as GitLab's runner never sends it. */
    private static RunnerInfo runnerInfo(Params params) {
        if (!(params.get("info").orElse(null) instanceof ParamValue.Fields info)) {
            return RunnerInfo.UNKNOWN;
        }
        Map<String, ParamValue> fields = info.fields();
        Map<String, Boolean> features = new LinkedHashMap<>();
        if (fields.get("features") instanceof ParamValue.Fields announced) {
            announced.fields().forEach((name, value) -> {
                if (value instanceof ParamValue.Text text) {
                    features.put(name, Boolean.parseBoolean(text.value()) || text.value().equals("1"));
                }
            });
        }
        return new RunnerInfo(text(fields, "name"), text(fields, "version"), text(fields, "revision"),
                text(fields, "platform"), text(fields, "architecture"), text(fields, "executor"), features);
    }

    private static String text(Map<String, ParamValue> fields, String name) {
        return fields.get(name) instanceof ParamValue.Text text ? text.value() : null;
    }
}
