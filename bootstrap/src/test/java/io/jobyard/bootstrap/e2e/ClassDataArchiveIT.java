package io.jobyard.bootstrap.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The class-data archive the build ships next to the jar works with the README's run command: the server starts with
 * {@code -Xshare:on} (which refuses to start with an archive it cannot use) and its own classes, from the bootstrap
 * down to the JDBC adapter, come from the archive rather than from the jar.
 */
class ClassDataArchiveIT {
    @TempDir
    Path dir;

    private Process server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void kill() {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
    }

    @Test
    void theServerStartsFromTheArchiveTheBuildMade() throws Exception {
        assumeFalse(Boolean.getBoolean("jobyard.classData.skip"), "built with -Djobyard.classData.skip=true");
        Path archive = Path.of("target", "jobyard.jsa").toAbsolutePath();
        assertThat(archive).as("the package phase makes the archive").exists();
        int port = freePort();
        Path classLog = dir.resolve("classes.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + classLog,
                "-jar", Path.of("target", "jobyard.jar").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
        builder.environment().put("JOBYARD_PORT", Integer.toString(port));
        builder.environment().put("JOBYARD_BIND", "127.0.0.1");
        builder.environment().put("JOBYARD_DATA_DIR", dir.resolve("data").toString());
        server = builder.start();
        awaitReadiness(port, Duration.ofSeconds(60));

        String loaded = Files.readString(classLog);
        for (String name : new String[] {"io.jobyard.bootstrap.Standalone", "io.jobyard.adapter.http.ApiPipeline",
                "io.jobyard.adapter.jdbc.Database", "org.h2.engine.Database", "io.undertow.Undertow"}) {
            assertThat(loaded).as(name).containsPattern("\\] " + name.replace(".", "\\.")
                    + " source: shared objects file \\(top\\)");
        }
    }

    private void awaitReadiness(int port, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            assertThat(server.isAlive()).as("server process exited early (an archive -Xshare:on cannot use?)").isTrue();
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/-/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the server is still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server not ready within " + limit);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
