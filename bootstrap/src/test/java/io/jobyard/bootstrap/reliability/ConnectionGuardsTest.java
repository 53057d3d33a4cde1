package io.jobyard.bootstrap.reliability;

import io.jobyard.bootstrap.JobyardServer;
import io.undertow.server.HttpHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13 §1, what only the server can do (a handler never sees a connection before its headers are complete): the
 * header timeout, the keep-alive timeout, and the cap on open connections beyond which new ones are refused.
 */
class ConnectionGuardsTest {
    private static final HttpHandler OK = exchange -> exchange.getResponseSender().send("ok");
    private static final String GET = "GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    private JobyardServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private JobyardServer start(JobyardServer.Limits limits) {
        server = new JobyardServer("127.0.0.1", 0, OK, Duration.ofSeconds(1), () -> true, null, limits).start();
        return server;
    }

    @Test
    void headersThatNeverEndAreCutAtTheHeaderTimeoutHoweverSlowlyTheyTrickle() throws Exception {
        start(new JobyardServer.Limits(Duration.ofSeconds(1), Duration.ofSeconds(30), 100));
        AtomicBoolean sending = new AtomicBoolean(true);
        try (RawClient slow = new RawClient(server.port())) {
            slow.send("GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            Thread trickle = new Thread(() -> {
                while (sending.get()) {
                    try {
                        slow.send("X-Slow: yes\r\n");
                        Thread.sleep(200);
                    } catch (UncheckedIOException | InterruptedException closed) {
                        return;
                    }
                }
            });
            trickle.start();
            RawClient.Received received = slow.awaitClose(Duration.ofSeconds(15));
            sending.set(false);
            trickle.join();
            assertThat(received.closed()).as("closed by the server").isTrue();
            assertThat(received.text()).isEmpty();
            assertThat(received.after()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        try (RawClient normal = new RawClient(server.port())) {
            assertThat(normal.send(GET).response(Duration.ofSeconds(10)).body()).isEqualTo("ok");
        }
    }

    @Test
    void aConnectionWithoutARequestIsClosedAfterTheKeepAliveTimeout() {
        start(new JobyardServer.Limits(Duration.ofSeconds(30), Duration.ofSeconds(1), 100));
        try (RawClient silent = new RawClient(server.port())) {
            RawClient.Received received = silent.awaitClose(Duration.ofSeconds(15));
            assertThat(received.closed()).as("a connection that never sends a request").isTrue();
            assertThat(received.after()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        try (RawClient keptAlive = new RawClient(server.port())) {
            assertThat(keptAlive.send(GET).response(Duration.ofSeconds(10)).body()).isEqualTo("ok");
            assertThat(keptAlive.awaitClose(Duration.ofSeconds(15)).closed()).as("idle after its request").isTrue();
        }
    }

    @Test
    void beyondTheCapNewConnectionsAreRefusedWith503AndTheServerGoesOn() {
        start(new JobyardServer.Limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 8));
        List<RawClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                held.add(new RawClient(server.port()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 8);
            for (int i = 0; i < 50; i++) {
                try (RawClient refused = new RawClient(server.port())) {
                    RawClient.Received received = refused.awaitClose(Duration.ofSeconds(10));
                    assertThat(received.closed()).isTrue();
                    assertThat(received.status()).as(received.text()).isEqualTo(503);
                    assertThat(received.body()).isEqualTo("{\"message\":\"503 Service Unavailable\"}");
                }
            }
            assertThat(server.openConnections()).isEqualTo(8);

            held.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 7);
            try (RawClient admitted = new RawClient(server.port())) {
                assertThat(admitted.send(GET).response(Duration.ofSeconds(10)).body()).isEqualTo("ok");
            }
        } finally {
            held.forEach(RawClient::close);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
    }
}
