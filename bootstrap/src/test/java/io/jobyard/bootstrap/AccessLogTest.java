package io.jobyard.bootstrap;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTest {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("io.jobyard.access");
    private Standalone server;

    @TempDir
    Path dataDir;

    @AfterEach
    void stop() {
        accessLogger.detachAppender(lines);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void logsEachRequestWithoutItsTokens() throws Exception {
        lines.start();
        accessLogger.addAppender(lines);
        server = Standalone.start(Configuration.from(Map.of(
                "JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString())));

        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v4/projects/1/jobs?private_token=query-secret-123"))
                .header("PRIVATE-TOKEN", "header-secret-456").build(), HttpResponse.BodyHandlers.ofString());
        server.close();

        List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages).anySatisfy(line -> assertThat(line).startsWith("GET /api/v4/projects/:id/jobs 401 "));
        assertThat(String.join("\n", messages)).doesNotContain("query-secret").doesNotContain("header-secret");
    }
}
