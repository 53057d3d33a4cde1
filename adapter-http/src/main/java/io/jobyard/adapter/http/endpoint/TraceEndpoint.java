package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.adapter.http.reply.ServerSentEvents;
import io.jobyard.application.port.in.live.FollowTraceUseCase;
import io.jobyard.application.port.in.live.LogFollow;
import io.jobyard.application.port.in.trace.ReadTraceUseCase;
import io.jobyard.application.stream.ContentDisposition;
import io.jobyard.domain.job.JobId;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /projects/:id/jobs/:job_id/trace}: the raw log as {@code text/plain} (contract §3.4), or, asked for with
 * {@code Accept: text/event-stream} (what a browser's EventSource sends), the log followed live as server-sent events
 * ({@link LiveTraceEvents}) from {@code Last-Event-ID} or {@code ?offset=} (0 without either). The same checks
 * decide both: whoever may read the log may follow it.
 */
public final class TraceEndpoint implements Endpoint {
    static final String EVENT_STREAM = "text/event-stream";

    private final ReadTraceUseCase traces;
    /** Null where live follows are not served: the plain log is answered whatever is accepted. */
    private final FollowTraceUseCase follows;
    private final LiveTraceEvents.AppendFrames frames = new LiveTraceEvents.AppendFrames();

    public TraceEndpoint(ReadTraceUseCase traces) {
        this(traces, null);
    }

    public TraceEndpoint(ReadTraceUseCase traces, FollowTraceUseCase follows) {
        this.traces = Objects.requireNonNull(traces, "traces");
        this.follows = follows;
    }

    @Override
    public Reply handle(ApiRequest request) {
        JobId job = RequestValues.jobId(request);
        if (follows != null && acceptsEventStream(request.header("Accept"))) {
            return follow(request, job);
        }
        return new Reply.Stream(traces.readTrace(request.actor(), RequestValues.project(request), job),
                Reply.DownloadStyle.TRACE, ContentDisposition.traceFile(job.value()));
    }

    private Reply follow(ApiRequest request, JobId job) {
        long from = resumeOffset(request);
        ServerSentEvents events = new ServerSentEvents();
        LogFollow follow = follows.follow(request.actor(), request.currentActor(), RequestValues.project(request), job,
                from, new LiveTraceEvents(events, from, frames));
        events.onGone(follow::cancel).onDrained(follow::drained);
        return new Reply.EventStream(events);
    }

    /**
     * Where the client stands: {@code Last-Event-ID} (an EventSource reconnecting sends the last id it got, which is
     * newer than the {@code offset} of the URL it first opened), else {@code ?offset=}, else the start.
     */
    static long resumeOffset(ApiRequest request) {
        String lastEventId = request.header("Last-Event-ID");
        if (lastEventId != null && !lastEventId.isBlank()) {
            return offset(Optional.of(lastEventId.trim()), "Last-Event-ID");
        }
        return offset(request.params().text("offset"), "offset");
    }

    private static long offset(Optional<String> text, String name) {
        if (text.isEmpty()) {
            return 0;
        }
        BigInteger value = Params.parseInteger(text.get()).orElseThrow(() -> Params.invalid(name));
        if (value.signum() < 0 || value.bitLength() > 63) {
            throw Params.invalid(name);
        }
        return value.longValueExact();
    }

    /** Whether {@code Accept} names {@code text/event-stream} with a non-zero quality. */
    static boolean acceptsEventStream(String accept) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (!parts[0].trim().equalsIgnoreCase(EVENT_STREAM)) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim().toLowerCase(java.util.Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(parameter.substring(2).trim()) <= 0;
                    } catch (NumberFormatException malformed) {
                        refused = false;
                    }
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }
}
