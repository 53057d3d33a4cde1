package io.jobyard.adapter.http.reply;

import io.undertow.Undertow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where an exchange ends ({@link ReplyWriter#handling}): an answer held whole in memory, written inside the handler's
 * call on a worker thread, is sent and ended on the exchange's IO thread — a kept-alive connection ended on a worker
 * makes Undertow's IO thread spin while the worker frees it — and everything else ends as it always did.
 */
class ReplyEndingTest {
    private final AtomicReference<Reply> reply = new AtomicReference<>();
    private final AtomicBoolean handling = new AtomicBoolean(true);
    /** Per exchange, whether its completion ran on an IO thread. */
    private final BlockingQueue<Boolean> endedOnIoThread = new LinkedBlockingQueue<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private final Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
        exchange.addExchangeCompleteListener((done, next) -> {
            endedOnIoThread.add(done.isInIoThread());
            next.proceed();
        });
        exchange.dispatch(this::serve);
    }).build();

    ReplyEndingTest() {
        server.start();
    }

    private void serve(io.undertow.server.HttpServerExchange exchange) throws Exception {
        exchange.startBlocking();
        try (ReplyWriter.Handling ignored = handling.get() ? ReplyWriter.handling(exchange) : null) {
            new ReplyWriter().write(exchange, reply.get());
        }
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> send(String method, Map<String, String> headers, String body) throws Exception {
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Boolean ending() throws InterruptedException {
        Boolean onIoThread = endedOnIoThread.poll(10, TimeUnit.SECONDS);
        assertThat(onIoThread).as("the exchange ended").isNotNull();
        return onIoThread;
    }

    @Test
    void answersHeldInMemoryAreSentAndEndedOnTheIoThread() throws Exception {
        // Sorted: Map.of iterates in an order that changes from one JVM to the next.
        reply.set(new Reply.Json(200, new TreeMap<>(Map.of("id", 7, "name", "build")), Map.of("X-Total", "1")));
        HttpResponse<String> json = send("GET", Map.of(), null);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.body()).isEqualTo("{\"id\":7,\"name\":\"build\"}");
        assertThat(json.headers().firstValue("Content-Length")).contains("" + json.body().length());
        assertThat(json.headers().firstValue("X-Total")).contains("1");
        assertThat(ending()).isTrue();

        // The same answer again on the kept-alive connection, then revalidated (304), then its HEAD.
        String tag = json.headers().firstValue("ETag").orElseThrow();
        assertThat(send("GET", Map.of(), null).body()).isEqualTo(json.body());
        assertThat(ending()).isTrue();
        HttpResponse<String> notModified = send("GET", Map.of("If-None-Match", tag), null);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(ending()).isTrue();
        HttpResponse<String> head = send("HEAD", Map.of(), null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).contains("" + json.body().length());
        assertThat(ending()).isTrue();

        reply.set(new Reply.Bytes(200, "text/plain", "log line\n".getBytes(StandardCharsets.UTF_8), Map.of()));
        assertThat(send("GET", Map.of(), null).body()).isEqualTo("log line\n");
        assertThat(ending()).isTrue();

        reply.set(new Reply.Empty(204, Map.of()));
        assertThat(send("DELETE", Map.of(), null).statusCode()).isEqualTo(204);
        assertThat(ending()).isTrue();

        // A small form body the handler never read: answered whole, wherever the exchange ends (on the IO thread when
        // the body had arrived with the head, the request then being complete).
        reply.set(new Reply.Json(404, Map.of("message", "404 Job Not Found"), Map.of()));
        HttpResponse<String> missing = send("POST", Map.of("Content-Type", "application/x-www-form-urlencoded"), "a=1");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"message\":\"404 Job Not Found\"}");
        ending();
        assertThat(endedOnIoThread).isEmpty();
    }

    @Test
    void outsideTheHandlersCallOrBeforeTheBodyIsReadTheWorkerEndsTheExchangeAsBefore() throws Exception {
        reply.set(new Reply.Json(200, Map.of("id", 7), Map.of()));
        handling.set(false);
        assertThat(send("GET", Map.of(), null).body()).isEqualTo("{\"id\":7}");
        assertThat(ending()).isFalse();

        // A body not read to its end: the worker's end reads the rest (blocking), which the IO thread must not do.
        handling.set(true);
        String large = "x".repeat(64 * 1024);
        HttpResponse<String> answered = send("PUT", Map.of("Content-Type", "text/plain"), large);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("{\"id\":7}");
        assertThat(ending()).isFalse();

        // The connection serves the next request as usual.
        assertThat(send("GET", Map.of(), null).body()).isEqualTo("{\"id\":7}");
        assertThat(ending()).isTrue();
    }
}
