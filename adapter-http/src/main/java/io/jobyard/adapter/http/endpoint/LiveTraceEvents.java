package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.Json;
import io.jobyard.adapter.http.reply.ServerSentEvents;
import io.jobyard.application.port.in.live.FollowEnd;
import io.jobyard.application.port.in.live.LiveLogEvent;
import io.jobyard.application.port.in.live.LiveLogSink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A followed log as server-sent events (the format the README documents):
 * <pre>
 * event: status        id: offset   data: {"status":"running"}
 * event: append        id: offset   data: base64 of the log's bytes just before the offset
 * event: end           id: length   data: {"status":"success","length":1234}
 * : heartbeat
 * </pre>
 * Every event's {@code id} is the byte offset in the log after it, so a client that reconnects ({@code Last-Event-ID})
 * continues exactly where it stopped. The bytes are base64, not text: SSE ends a line at a lone CR (a runner's
 * progress bar) and its text is UTF-8, so a log with CR-only lines or invalid UTF-8 could not arrive byte for byte as
 * {@code data} text. Decoded and concatenated, the {@code append} events are the stored log exactly.
 */
final class LiveTraceEvents implements LiveLogSink {
    private final ServerSentEvents events;
    private final AppendFrames frames;
    /** Only the follow's pass calls the sink (one thread at a time); volatile for the IO thread's reads. */
    private volatile long offset;

    LiveTraceEvents(ServerSentEvents events, long fromOffset, AppendFrames frames) {
        this.events = Objects.requireNonNull(events, "events");
        this.offset = fromOffset;
        this.frames = Objects.requireNonNull(frames, "frames");
    }

    @Override
    public long offer(LiveLogEvent event) {
        if (event instanceof LiveLogEvent.Bytes bytes) {
            offset = bytes.end();
            return events.send(frames.of(bytes));
        }
        if (event instanceof LiveLogEvent.Status status) {
            return events.send("status", Long.toString(offset), json(Map.of("status", status.status().wireName())));
        }
        if (event instanceof LiveLogEvent.End end) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", end.status().wireName());
            body.put("length", end.length());
            return events.send("end", Long.toString(end.length()), json(body));
        }
        return events.comment("heartbeat");
    }

    @Override
    public long pendingBytes() {
        return events.pendingBytes();
    }

    /**
     * The job finished and the log is complete, or this instance stops (the client's EventSource reconnects, to
     * another instance, from its last id): the queue is written and the reply ends. A client too slow for the bound,
     * or gone, is cut off at once.
     */
    @Override
    public void closed(FollowEnd reason) {
        switch (reason) {
            case COMPLETE, SHUTDOWN -> events.finish();
            // Access ended: nothing more of what it may no longer see, not even what was queued.
            case TOO_SLOW, CANCELED, ACCESS_ENDED -> events.cutOff();
        }
    }

    /**
     * The engine offers one append to every follower standing at its offset as the same {@link LiveLogEvent.Bytes}
     * object, one follower after the other: its event is encoded (base64) once and shared, not once per follower.
     * One entry is enough for that; appends of other jobs passing in between only cost an encoding.
     */
    static final class AppendFrames {
        private final AtomicReference<Object[]> last = new AtomicReference<>(new Object[2]);

        ByteBuffer of(LiveLogEvent.Bytes bytes) {
            Object[] cached = last.get();
            if (cached[0] == bytes) {
                return (ByteBuffer) cached[1];
            }
            ByteBuffer frame = ServerSentEvents.frame("append", Long.toString(bytes.end()),
                    Base64.getEncoder().encodeToString(bytes.data()));
            last.set(new Object[] {bytes, frame});
            return frame;
        }
    }

    private static String json(Object body) {
        return new String(Json.write(body), StandardCharsets.UTF_8);
    }
}
