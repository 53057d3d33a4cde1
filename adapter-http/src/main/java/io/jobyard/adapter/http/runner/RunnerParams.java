package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.ErrorMapper;
import io.jobyard.domain.job.JobId;

import java.math.BigInteger;

/** Parameter and header conventions shared by the runner endpoints. */
final class RunnerParams {
    /** The job's status, read by the runner to stop working on a job that no longer runs. */
    static final String JOB_STATUS = ErrorMapper.JOB_STATUS;
    static final String UPDATE_INTERVAL = "X-GitLab-Trace-Update-Interval";
    /** GitLab's interval while nobody watches the log (it lowers it to 3 while someone does; Jobyard cannot tell). */
    static final String UPDATE_INTERVAL_SECONDS = "60";

    private RunnerParams() {
    }

    /** A required {@code token} parameter: Grape's {@code {"error":"token is missing"}} when absent or blank. */
    static String requiredToken(Params params) {
        return params.text("token").filter(t -> !t.isBlank()).orElseThrow(() -> Params.missing("token"));
    }

    /**
     * A CI job token from the {@code JOB-TOKEN} header, else the {@code token} query parameter; blank counts as
     * absent. (The body of a log append or upload is not read for it.)
     */
    static String jobToken(ApiRequest request) {
        String header = request.header("JOB-TOKEN");
        String token = header != null && !header.isBlank() ? header : request.params().text("token").orElse(null);
        return token == null || token.isBlank() ? null : token.trim();
    }

    /** The {@code :id} of a job route; Grape's coercion message when it is not a positive integer. */
    static JobId jobId(ApiRequest request) {
        BigInteger value = Params.parseInteger(request.rawPath("id")).orElse(null);
        if (value == null || value.signum() <= 0 || value.bitLength() > 63) {
            throw Params.invalid("id");
        }
        return JobId.of(value.longValue());
    }
}
