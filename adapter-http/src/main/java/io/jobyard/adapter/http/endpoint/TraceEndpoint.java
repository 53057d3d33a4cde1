package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.trace.ReadTraceUseCase;
import io.jobyard.application.stream.ContentDisposition;
import io.jobyard.domain.job.JobId;

import java.util.Objects;

/** {@code GET /projects/:id/jobs/:job_id/trace}: the raw log as {@code text/plain} (contract §3.4). */
public final class TraceEndpoint implements Endpoint {
    private final ReadTraceUseCase traces;

    public TraceEndpoint(ReadTraceUseCase traces) {
        this.traces = Objects.requireNonNull(traces, "traces");
    }

    @Override
    public Reply handle(ApiRequest request) {
        JobId job = RequestValues.jobId(request);
        return new Reply.Stream(traces.readTrace(request.actor(), RequestValues.project(request), job),
                Reply.DownloadStyle.TRACE, ContentDisposition.traceFile(job.value()));
    }
}
