package io.jobyard.adapter.http.web;

import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.domain.error.NotFoundException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The pages' stylesheet and script, served by Jobyard itself so the Content-Security-Policy can forbid everything
 * inline ({@code /-/static/jobyard.css}, {@code /-/static/jobyard.js}). Read once from the classpath.
 */
public final class StaticFiles {
    private static final Map<String, String> TYPES = Map.of(
            "jobyard.css", "text/css; charset=utf-8",
            "jobyard.js", "text/javascript; charset=utf-8");
    private final Map<String, byte[]> files;

    public StaticFiles() {
        files = Map.of("jobyard.css", load("jobyard.css"), "jobyard.js", load("jobyard.js"));
    }

    private static byte[] load(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource static/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Endpoint endpoint() {
        return request -> {
            String name = request.path("file");
            byte[] body = files.get(name);
            if (body == null) {
                throw NotFoundException.plain("file");
            }
            Map<String, String> headers = Pages.pageHeaders();
            headers.put("Cache-Control", "public, max-age=300");
            return new Reply.Bytes(200, TYPES.get(name), body, headers);
        };
    }
}
