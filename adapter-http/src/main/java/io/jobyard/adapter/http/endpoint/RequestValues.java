package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.params.Params;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.pipeline.PipelineId;

import java.math.BigInteger;

/** Path and query values every endpoint reads, coerced as Grape coerces them. */
public final class RequestValues {
    /**
     * GitLab coerces any integer and lets the record lookup miss ("404 Not found") after the project checks. Jobyard's
     * ids are positive longs, so an integer no record can have (0, negative, too large) is looked up as the largest
     * id, which no record reaches either: the project checks still run first and the miss reads the same.
     */
    private static final long NO_SUCH_ID = Long.MAX_VALUE;

    private RequestValues() {
    }

    public static ProjectRef project(ApiRequest request) {
        return ProjectRef.parse(request.path("id"));
    }

    static JobId jobId(ApiRequest request) {
        return JobId.of(id(request, "job_id"));
    }

    public static PipelineId pipelineId(ApiRequest request) {
        return PipelineId.of(id(request, "pipeline_id"));
    }

    private static long id(ApiRequest request, String name) {
        BigInteger value = Params.parseInteger(request.path(name)).orElseThrow(() -> Params.invalid(name));
        if (value.signum() <= 0 || value.bitLength() > 63) {
            return NO_SUCH_ID;
        }
        return value.longValueExact();
    }

    /** A required text parameter ({@code job} of the by-ref routes): absent is Grape's "is missing". */
    static String requiredText(ApiRequest request, String name) {
        return request.params().text(name).orElseThrow(() -> Params.missing(name));
    }

    static boolean flag(ApiRequest request, String name) {
        return request.params().bool(name).orElse(false);
    }

    static InvalidParameterException notAllowed(String name) {
        return new InvalidParameterException(name + " has a value not allowed");
    }
}
