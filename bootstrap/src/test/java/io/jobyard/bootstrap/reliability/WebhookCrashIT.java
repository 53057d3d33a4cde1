package io.jobyard.bootstrap.reliability;

import io.jobyard.bootstrap.e2e.ServerProcesses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 19, kill -9 during delivery: the built jar is killed with SIGKILL while a webhook request is in flight (the
 * receiver holds it without answering). Started again on the same data directory, the server delivers that event
 * again, with the same {@code Idempotency-Key}, once the dead instance's lease has run out, and then the job's later
 * events in order: at least once, nothing lost.
 */
class WebhookCrashIT {
    private static final String ADMIN_TOKEN = "webhook-crash-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Process server;
    private HttpServer receiver;
    private final HttpClient http = HttpClient.newHttpClient();

    record Received(String idempotencyKey, String status) {
    }

    @AfterEach
    void stop() {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void anEventInFlightWhenTheServerIsKilledIsDeliveredAfterTheRestart() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean holdFirst = new AtomicBoolean(true);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode json = JSON.readTree(body);
            received.add(new Received(exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    json.path("build_status").asText()));
            if (holdFirst.getAndSet(false)) {
                holding.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

        Path data = dir.resolve("data");
        int port = freePort();
        String api = "http://127.0.0.1:" + port + "/api/v4";
        start(data, port, 0);
        call(api, "PUT", "/application/settings", "allow_local_requests_from_web_hooks_and_services=true", 200);
        long project = call(api, "POST", "/projects", "name=crash&namespace_path=acme", 201).get("id").asLong();
        call(api, "POST", "/projects/" + project + "/hooks", "url=" + hookUrl + "&job_events=true&push_events=false",
                201);
        call(api, "POST", "/projects/" + project + "/pipeline", "ref=main&sha=" + "b".repeat(40)
                + "&ci_config=build%3A%20%7Bscript%3A%20%5Bmake%5D%7D", 201);

        assertThat(holding.await(60, TimeUnit.SECONDS)).as("the first delivery reached the receiver").isTrue();
        server.destroyForcibly(); // SIGKILL while the request is in flight
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        String inFlightKey = received.get(0).idempotencyKey();

        start(data, port, 1);
        await().atMost(Duration.ofSeconds(90)).until(() -> received.stream().filter(r -> r.status().equals("pending"))
                .count() >= 1);
        List<Received> created = received.stream().filter(r -> r.status().equals("created")).toList();
        assertThat(created).as("the event in flight, sent again after the restart").hasSizeGreaterThanOrEqualTo(2);
        assertThat(created).extracting(Received::idempotencyKey).containsOnly(inFlightKey);
        assertThat(received.stream().map(Received::status).toList()).as("in order per job")
                .containsSubsequence("created", "created", "pending");
    }

    private JsonNode call(String api, String method, String path, String form, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + path))
                .header("PRIVATE-TOKEN", ADMIN_TOKEN).header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    private void start(Path data, int port, int round) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", Path.of("target", "jobyard.jar").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server-" + round + ".log").toFile());
        builder.environment().put("JOBYARD_PORT", Integer.toString(port));
        builder.environment().put("JOBYARD_BIND", "127.0.0.1");
        builder.environment().put("JOBYARD_EXTERNAL_URL", "http://127.0.0.1:" + port);
        builder.environment().put("JOBYARD_DATA_DIR", data.toString());
        builder.environment().put("JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN);
        builder.environment().put("JOBYARD_WEBHOOK_TIMEOUT", "2s");
        builder.environment().put("JOBYARD_WEBHOOK_RETRY_DELAY", "1s");
        server = builder.start();
        ServerProcesses.awaitReady(server, http, URI.create("http://127.0.0.1:" + port + "/-/readiness"),
                Duration.ofSeconds(90), () -> Files.readString(dir.resolve("server-" + round + ".log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
