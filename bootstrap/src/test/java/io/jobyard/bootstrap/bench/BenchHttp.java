package io.jobyard.bootstrap.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The few HTTP calls the benchmarks make to set a server up, with the JDK's client. Answers are read with two regular
 * expressions instead of a JSON library: the benchmark only needs an id and a token out of GitLab's bodies.
 */
final class BenchHttp {
    private static final Pattern FIRST_ID = Pattern.compile("\\A\\{\"id\":(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI api;

    BenchHttp(URI base) {
        this.api = base.resolve("/api/v4/");
    }

    HttpClient client() {
        return client;
    }

    URI uri(String path) {
        return api.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** A form POST (or PUT) that must succeed; returns the body. */
    String form(String method, String path, String tokenHeader, String token, Map<String, String> fields)
            throws IOException, InterruptedException {
        String body = fields.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header(tokenHeader, token);
        }
        return expectSuccess(client.send(request.build(), HttpResponse.BodyHandlers.ofString()), method + " " + path);
    }

    String adminForm(String path, String adminToken, String... keyValues) throws IOException, InterruptedException {
        return form("POST", path, "PRIVATE-TOKEN", adminToken, pairs(keyValues));
    }

    static String expectSuccess(HttpResponse<String> response, String what) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static long id(String json) {
        Matcher m = FIRST_ID.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no leading id in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    static String token(String json) {
        Matcher m = TOKEN.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no token in " + json);
        }
        return m.group(1);
    }

    static Map<String, String> pairs(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
