package io.jobyard.adapter.http.endpoint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The trace route serves the live stream only to a client that asks for {@code text/event-stream}. */
class TraceNegotiationTest {

    @Test
    void anEventSourcesAcceptHeaderAsksForTheStream() {
        assertThat(TraceEndpoint.acceptsEventStream("text/event-stream")).isTrue();
        assertThat(TraceEndpoint.acceptsEventStream("Text/Event-Stream; charset=utf-8")).isTrue();
        assertThat(TraceEndpoint.acceptsEventStream("text/plain, text/event-stream;q=0.5")).isTrue();
    }

    @Test
    void anythingElseGetsThePlainTrace() {
        assertThat(TraceEndpoint.acceptsEventStream(null)).isFalse();
        assertThat(TraceEndpoint.acceptsEventStream("*/*")).isFalse();
        assertThat(TraceEndpoint.acceptsEventStream("text/*")).isFalse();
        assertThat(TraceEndpoint.acceptsEventStream("text/plain")).isFalse();
        assertThat(TraceEndpoint.acceptsEventStream("text/event-stream;q=0")).isFalse();
        assertThat(TraceEndpoint.acceptsEventStream("text/event-stream-ish")).isFalse();
    }
}
