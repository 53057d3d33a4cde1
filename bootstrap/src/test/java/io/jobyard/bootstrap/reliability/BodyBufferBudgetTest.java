package io.jobyard.bootstrap.reliability;

import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Small bodies arrive before their requests are authenticated, so what they hold together is bounded, not only each
 * one: anonymous clients sending large bodies slowly fill the budget and no more — the next body that would pass it
 * is answered 503 with its connection closed — while a small request still fits, and once the slow bodies are gone
 * (timed out) the room is given back. Without the budget every one of those bodies would be buffered.
 */
class BodyBufferBudgetTest {
    private static final String ADMIN_TOKEN = "body-budget-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int PART = 600 * 1024;

    @TempDir
    Path dataDir;

    private Standalone server;
    private Api api;

    @BeforeEach
    void start() throws Exception {
        // A budget of three of the largest bodies (1 MiB with configurations up to 256 KiB).
        server = Standalone.start(Configuration.from(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1",
                "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN,
                "JOBYARD_HTTP_BODY_TIMEOUT", "3s", "JOBYARD_MAX_CI_CONFIG_SIZE", "256k",
                "JOBYARD_HTTP_BODY_BUFFER", "3m")));
        api = new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** An anonymous pipeline creation whose 1 MB body stops after {@code PART} bytes. */
    private RawClient slowBody() {
        RawClient client = new RawClient(server.port());
        client.send("POST /api/v4/projects/1/pipeline HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000\r\n\r\nref=main&ci_config=");
        client.send("a".repeat(PART));
        return client;
    }

    @Test
    void slowLargeBodiesFillTheBudgetAndNoMoreWhileSmallRequestsGoOn() throws Exception {
        List<RawClient> slow = new ArrayList<>();
        try {
            // Six bodies of 600 KiB would take 3,600 KiB: the sixth finds no room.
            RawClient.Received refused = null;
            boolean closed = false;
            for (int i = 0; i < 8 && refused == null; i++) {
                RawClient client = slowBody();
                slow.add(client);
                RawClient.Received early = client.awaitClose(Duration.ofMillis(300));
                if (early.closed() || early.text().contains(" 503 ")) {
                    refused = early;
                    closed = early.closed() || client.awaitClose(WAIT).closed();
                }
            }
            assertThat(refused).as("a body past the budget is refused").isNotNull();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(closed).as("the refused body's connection is closed").isTrue();
            assertThat(refused.text()).contains("Retry-After: 1").contains("503 Service Unavailable");
            assertThat(slow.size()).as("the budget held the five bodies before it").isEqualTo(6);
            // A small request still fits beside them.
            assertThat(api.admin("POST", "/projects", "name=small&namespace_path=acme").status()).isEqualTo(201);
            // The slow ones time out; their room comes back and a large body is read again.
            for (RawClient client : slow) {
                client.awaitClose(WAIT);
            }
            String large = "name=" + "b".repeat(900 * 1024) + "&namespace_path=acme";
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(api.admin("POST", "/projects", large).status()).isEqualTo(400));
        } finally {
            slow.forEach(RawClient::close);
        }
    }
}
