package io.jobyard.bootstrap;

import io.jobyard.adapter.http.json.Json;
import io.undertow.Undertow;
import io.undertow.server.handlers.PathHandler;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Loads and initialises the server's libraries (logging, Jackson, Undertow and XNIO) on a second thread while the
 * main thread reads its configuration and opens the database: on a multi-core machine the two halves of a start
 * overlap instead of queueing. It does nothing the start needs for correctness, so its failure is ignored.
 */
final class StartupWarmup {
    private StartupWarmup() {
    }

    static Thread begin() {
        Thread thread = new Thread(StartupWarmup::run, "jobyard-warmup");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void run() {
        try {
            LoggerFactory.getLogger(StartupWarmup.class);
            Json.write(Map.of("warm", 1));
            Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(new PathHandler());
            org.xnio.Xnio.getInstance(Undertow.class.getClassLoader());
        } catch (RuntimeException | LinkageError ignored) {
            // Only a head start; the main thread loads whatever is still needed.
        }
    }
}
