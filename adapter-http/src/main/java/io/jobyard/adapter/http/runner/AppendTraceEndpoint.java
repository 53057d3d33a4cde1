package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.runner.AppendTraceUseCase;
import io.jobyard.application.port.in.runner.AppendTraceUseCase.AppendTraceCommand;
import io.jobyard.application.port.in.runner.AppendTraceUseCase.TraceAppended;
import io.jobyard.domain.job.JobId;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code PATCH /jobs/:id/trace} (contract §5.3): the body is streamed into the log at the offset its
 * {@code Content-Range} starts with, never read whole. The job token comes from {@code JOB-TOKEN} or the query, not
 * the body, which is the log itself. 202 with {@code Range: 0-<length>}; a stale offset is 416 with the length the
 * runner must resend from ({@link io.jobyard.domain.error.TraceOffsetMismatchException}, mapped with the other
 * refusals).
 */
public final class AppendTraceEndpoint implements Endpoint {
    private static final Pattern RANGE_START = Pattern.compile("\\A\\s*(\\d+)");

    private final AppendTraceUseCase appendTrace;

    public AppendTraceEndpoint(AppendTraceUseCase appendTrace) {
        this.appendTrace = Objects.requireNonNull(appendTrace, "appendTrace");
    }

    @Override
    public boolean streamsBody() {
        return true;
    }

    @Override
    public Reply handle(ApiRequest request) {
        JobId job = RunnerParams.jobId(request);
        String token = RunnerParams.jobToken(request);
        String contentRange = request.header("Content-Range");
        if (contentRange == null) {
            throw ApiError.error(400, "400 Missing header Content-Range");
        }
        long declared = request.incoming().declaredLength();
        // An absent token matches no job: the use case answers it with the plain 403, as GitLab does.
        TraceAppended appended = appendTrace.append(new AppendTraceCommand(job, token == null ? "" : token,
                rangeStart(contentRange), request.incoming().body(),
                declared < 0 ? AppendTraceCommand.UNKNOWN_LENGTH : declared, Set.of()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(RunnerParams.JOB_STATUS, appended.jobStatus().wireName());
        headers.put("Range", "0-" + appended.length());
        headers.put(RunnerParams.UPDATE_INTERVAL, RunnerParams.UPDATE_INTERVAL_SECONDS);
        return new Reply.Empty(202, headers);
    }

    /** Only the start counts (the runner's end is off by one); like Ruby's {@code to_i}, no digits read as 0. */
    static long rangeStart(String contentRange) {
        Matcher start = RANGE_START.matcher(contentRange);
        if (!start.find()) {
            return 0;
        }
        BigInteger value = new BigInteger(start.group(1));
        return value.bitLength() > 63 ? Long.MAX_VALUE : value.longValue();
    }
}
