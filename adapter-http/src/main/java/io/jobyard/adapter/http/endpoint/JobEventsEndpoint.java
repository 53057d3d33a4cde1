package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.Json;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.adapter.http.reply.ServerSentEvents;
import io.jobyard.application.port.in.live.FollowEnd;
import io.jobyard.application.port.in.live.FollowJobEventsUseCase;
import io.jobyard.application.port.in.live.JobEventSink;
import io.jobyard.application.port.in.live.JobEventsFollow;
import io.jobyard.application.port.in.live.JobStreamEvent;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code GET /projects/:id/jobs/events} (Jobyard's own, issue 16): the project's job status changes as server-sent
 * events as they commit, each {@code event: job} with {@code id} = the project's event number and GitLab's job hook
 * payload as {@code data}; resumable with {@code Last-Event-ID} (or {@code ?after=}) within the event retention, with
 * {@code event: reset} first when what came after that number is no longer kept. Visible as the jobs list is.
 */
public final class JobEventsEndpoint implements Endpoint {
    private final FollowJobEventsUseCase follows;

    public JobEventsEndpoint(FollowJobEventsUseCase follows) {
        this.follows = Objects.requireNonNull(follows, "follows");
    }

    @Override
    public Reply handle(ApiRequest request) {
        OptionalLong after = after(request);
        ServerSentEvents events = new ServerSentEvents();
        JobEventsFollow follow = follows.follow(request.actor(), request.currentActor(),
                RequestValues.project(request), after, new Sink(events));
        events.onGone(follow::cancel).onDrained(follow::drained);
        return new Reply.EventStream(events);
    }

    /** {@code Last-Event-ID} (an EventSource reconnecting), else {@code ?after=}, else none: from now on. */
    private static OptionalLong after(ApiRequest request) {
        String lastEventId = request.header("Last-Event-ID");
        if (lastEventId != null && !lastEventId.isBlank()) {
            return OptionalLong.of(number(lastEventId.trim(), "Last-Event-ID"));
        }
        Optional<String> query = request.params().text("after");
        return query.isPresent() ? OptionalLong.of(number(query.get(), "after")) : OptionalLong.empty();
    }

    private static long number(String text, String name) {
        BigInteger value = Params.parseInteger(text).orElseThrow(() -> Params.invalid(name));
        if (value.signum() < 0 || value.bitLength() > 63) {
            throw Params.invalid(name);
        }
        return value.longValueExact();
    }

    private static final class Sink implements JobEventSink {
        private final ServerSentEvents events;

        Sink(ServerSentEvents events) {
            this.events = events;
        }

        @Override
        public long offer(JobStreamEvent event) {
            if (event instanceof JobStreamEvent.Job job) {
                return events.send("job", Long.toString(job.seq()), job.json());
            }
            if (event instanceof JobStreamEvent.Reset reset) {
                return events.send("reset", Long.toString(reset.seq()), new String(
                        Json.write(Map.of("last_event_id", reset.seq())), StandardCharsets.UTF_8));
            }
            return events.comment("heartbeat");
        }

        @Override
        public long pendingBytes() {
            return events.pendingBytes();
        }

        @Override
        public void closed(FollowEnd reason) {
            switch (reason) {
                case COMPLETE, SHUTDOWN -> events.finish();
                // Access ended: nothing more of what it may no longer see, not even what was queued.
            case TOO_SLOW, CANCELED, ACCESS_ENDED -> events.cutOff();
            }
        }
    }
}
