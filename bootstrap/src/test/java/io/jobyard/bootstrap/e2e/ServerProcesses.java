package io.jobyard.bootstrap.e2e;

import org.awaitility.core.TerminalFailureException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;

/** Waiting for a standalone server started as a process of its own (the shaded jar) to answer. */
public final class ServerProcesses {
    private ServerProcesses() {
    }

    /**
     * Waits until {@code readiness} answers 200, failing at once, with {@code log}'s text, when the process exits.
     *
     * @throws AssertionError when the process exited or {@code limit} passed first
     */
    public static void awaitReady(Process server, HttpClient http, URI readiness, Duration limit,
                                  Callable<String> log) throws Exception {
        try {
            await("readiness of " + readiness).atMost(limit).pollInterval(Duration.ofMillis(50))
                    .failFast("the server process exited", () -> !server.isAlive())
                    .until(() -> ready(http, readiness));
        } catch (TerminalFailureException exited) {
            throw new AssertionError("the server process exited:\n" + log.call(), exited);
        }
    }

    private static boolean ready(HttpClient http, URI readiness) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException notYetListening) {
            return false;
        }
    }
}
