package io.jobyard.bootstrap.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardBuilder;
import io.jobyard.bootstrap.JobyardServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** Jobyard on H2 with its HTTP API on loopback and its background work running, for the webhook tests. */
final class HookWorld implements AutoCloseable {
    static final String ADMIN_TOKEN = "hooks-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Jobyard jobyard;
    private final JobyardServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    HookWorld(Path dir) {
        this(dir, builder -> builder);
    }

    HookWorld(Path dir, UnaryOperator<JobyardBuilder> customize) {
        HikariDataSource pool = DataSources.create(DataSources.Settings.of(
                DataSources.h2FileUrl(dir.resolve("db")), "sa", "", 10));
        jobyard = customize.apply(Jobyard.builder()
                        .ownedDataSource(pool, pool)
                        .filesystemStorage(dir.resolve("storage"))
                        .externalUrl(URI.create("http://jobyard.test"))
                        .webhookTimeout(Duration.ofSeconds(2))
                        .webhookRetryDelay(Duration.ofMillis(200))
                        .eventPollInterval(Duration.ofMillis(100)))
                .build();
        jobyard.ensureFirstAdministrator(ADMIN_TOKEN);
        server = new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(5), jobyard::ready)
                .start();
        base = "http://127.0.0.1:" + server.port() + "/api/v4";
        jobyard.startBackgroundWork(Duration.ofHours(1));
    }

    /** @param link the {@code Link} header, or null */
    record Reply(int status, String body, String link) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Reply call(String method, String path, String form) {
        return call(method, path, form, ADMIN_TOKEN);
    }

    Reply call(String method, String path, String form, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("PRIVATE-TOKEN", token);
        }
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        request.method(method, form == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(form));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("Link").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode expect(String method, String path, String form, int status) {
        Reply reply = call(method, path, form);
        if (reply.status() != status) {
            throw new AssertionError(method + " " + path + " answered " + reply.status() + ": " + reply.body());
        }
        return reply.body().isEmpty() ? null : reply.json();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    long project(String name) {
        return expect("POST", "/projects", "name=" + name + "&namespace_path=acme", 201).get("id").asLong();
    }

    void allowLocalRequests(boolean allow) {
        expect("PUT", "/application/settings", "allow_local_requests_from_web_hooks_and_services=" + allow, 200);
    }

    long hook(long project, String url, String form) {
        return expect("POST", "/projects/" + project + "/hooks", "url=" + encode(url) + (form.isEmpty() ? ""
                : "&" + form), 201).get("id").asLong();
    }

    String runner() {
        return expect("POST", "/user/runners", "runner_type=instance_type&run_untagged=true", 201)
                .get("token").asText();
    }

    JsonNode pipeline(long project, String ciConfig) {
        return expect("POST", "/projects/" + project + "/pipeline", "ref=main&sha=" + "a".repeat(40)
                + "&ci_config=" + encode(ciConfig), 201);
    }

    /** Takes a job as a runner: its id and token. */
    JsonNode take(String runnerToken) {
        Reply reply = call("POST", "/jobs/request", "token=" + encode(runnerToken), null);
        if (reply.status() != 201) {
            throw new AssertionError("no job to take: " + reply.status() + " " + reply.body());
        }
        return reply.json();
    }

    void finish(JsonNode job, String state) {
        Reply reply = call("PUT", "/jobs/" + job.get("id").asLong(), "token=" + encode(job.get("token").asText())
                + "&state=" + state, null);
        if (reply.status() != 200) {
            throw new AssertionError("finishing answered " + reply.status() + " " + reply.body());
        }
    }

    @Override
    public void close() {
        server.close();
        jobyard.close();
    }
}
