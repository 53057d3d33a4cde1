package io.jobyard.bootstrap.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.bootstrap.Jobyard;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Jobyard server for the web pages' tests, and the API calls that set a scene: projects, users with passwords,
 * a pipeline from a {@code .gitlab-ci.yml}, a runner that takes a job and writes its log.
 */
final class WebWorld implements AutoCloseable {
    static final String ADMIN = "web-admin-token-0123456789abcdef";
    static final String PASSWORD = "correct horse battery";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF = Pattern.compile("name=\"authenticity_token\" value=\"([^\"]+)\"");

    final Jobyard jobyard;
    final JobyardServer server;
    final String base;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    WebWorld(Path dir) {
        HikariDataSource pool = DataSources.create(DataSources.Settings.of(
                DataSources.h2FileUrl(dir.resolve("db")), "sa", "", 10));
        jobyard = Jobyard.builder().ownedDataSource(pool, pool).filesystemStorage(dir.resolve("storage")).build();
        jobyard.ensureFirstAdministrator(ADMIN);
        server = new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(5), jobyard::ready)
                .start();
        base = "http://127.0.0.1:" + server.port();
    }

    /** A reply: status, headers, body. */
    record Reply(int status, HttpResponse<String> raw) {
        String body() {
            return raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Reply send(String method, String path, Map<String, String> headers, String form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        request.method(method, form == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(form));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Content-Type a GET answers with, read from the headers alone (the body may be an endless stream). */
    String contentTypeOf(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        try {
            HttpResponse<java.io.InputStream> response = http.send(request.GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.headers().firstValue("Content-Type").orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply admin(String method, String apiPath, String form) {
        return send(method, "/api/v4" + apiPath, Map.of("PRIVATE-TOKEN", ADMIN), form);
    }

    static String form(String... pairs) {
        StringJoiner joined = new StringJoiner("&");
        for (int i = 0; i < pairs.length; i += 2) {
            joined.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return joined.toString();
    }

    long project(String namespace, String name, String visibility) {
        Reply created = admin("POST", "/projects", form("name", name, "namespace_path", namespace,
                "visibility", visibility));
        check(created, 201);
        return created.json().get("id").asLong();
    }

    long user(String username) {
        Reply created = admin("POST", "/users", form("username", username, "name", username,
                "email", username + "@example.com", "password", PASSWORD));
        check(created, 201);
        return created.json().get("id").asLong();
    }

    void member(long project, long user, int level) {
        check(admin("POST", "/projects/" + project + "/members", form("user_id", Long.toString(user),
                "access_level", Integer.toString(level))), 201);
    }

    long pipeline(long project, String ciConfig) {
        Reply created = admin("POST", "/projects/" + project + "/pipeline", form("ref", "main",
                "sha", "1".repeat(40), "ci_config", ciConfig));
        check(created, 201);
        return created.json().get("id").asLong();
    }

    String runner() {
        Reply created = admin("POST", "/user/runners", form("runner_type", "instance_type"));
        check(created, 201);
        return created.json().get("token").asText();
    }

    /** A job a runner took: its id and CI job token. */
    record RunningJob(long id, String token) {
    }

    RunningJob take(String runnerToken) {
        Reply taken = send("POST", "/api/v4/jobs/request", Map.of(), form("token", runnerToken));
        check(taken, 201);
        return new RunningJob(taken.json().get("id").asLong(), taken.json().get("token").asText());
    }

    private final Map<Long, Long> logLengths = new LinkedHashMap<>();

    void append(RunningJob job, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long from = logLengths.getOrDefault(job.id(), 0L);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v4/jobs/" + job.id() + "/trace"))
                .header("JOB-TOKEN", job.token())
                .header("Content-Range", from + "-" + (from + bytes.length - 1))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                throw new AssertionError("append answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        logLengths.put(job.id(), from + bytes.length);
    }

    /** Uploads a zip archive as the job's artifacts, as gitlab-runner does. */
    void uploadArchive(RunningJob job, Map<String, String> files) {
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                out.putNextEntry(new java.util.zip.ZipEntry(file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String boundary = "----jobyard-web-" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"artifacts.zip\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(zip.toByteArray());
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v4/jobs/" + job.id()
                        + "/artifacts?artifact_format=zip&artifact_type=archive&expire_in=1+week"))
                .header("JOB-TOKEN", job.token())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new AssertionError("upload answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void finish(RunningJob job, String state) {
        check(send("PUT", "/api/v4/jobs/" + job.id(), Map.of(), form("token", job.token(), "state", state)), 200);
    }

    /** The sign-in form's double-submit pair: its cookie and the token in the form. */
    record SignInForm(String cookie, String token) {
        Map<String, String> headers() {
            return Map.of("Cookie", "_jobyard_sign_in=" + cookie);
        }
    }

    SignInForm signInForm() {
        Reply page = send("GET", "/users/sign_in", Map.of(), null);
        check(page, 200);
        Matcher m = Pattern.compile("_jobyard_sign_in=([^;]+)").matcher(page.header("Set-Cookie"));
        if (!m.find()) {
            throw new AssertionError("no form cookie: " + page.header("Set-Cookie"));
        }
        return new SignInForm(m.group(1), csrf(page));
    }

    Reply submitSignIn(SignInForm form, String... fields) {
        String[] all = java.util.Arrays.copyOf(fields, fields.length + 2);
        all[fields.length] = "authenticity_token";
        all[fields.length + 1] = form.token();
        return send("POST", "/users/sign_in", form.headers(), form(all));
    }

    /** Signs in through the form; the session cookie's value. */
    String signIn(String username) {
        Reply signedIn = submitSignIn(signInForm(), "login", username, "password", PASSWORD);
        check(signedIn, 303);
        String cookie = signedIn.header("Set-Cookie");
        Matcher m = Pattern.compile("_jobyard_session=([^;]+)").matcher(cookie);
        if (!m.find()) {
            throw new AssertionError("no session cookie: " + cookie);
        }
        return m.group(1);
    }

    Reply page(String path, String session) {
        return send("GET", path, session == null ? Map.of() : Map.of("Cookie", "_jobyard_session=" + session), null);
    }

    Reply post(String path, String session, String form) {
        return send("POST", path, session == null ? Map.of() : Map.of("Cookie", "_jobyard_session=" + session), form);
    }

    static String csrf(Reply page) {
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new AssertionError("no CSRF token on the page");
        }
        return m.group(1).replace("&#43;", "+").replace("&#61;", "=").replace("&#47;", "/");
    }

    private static void check(Reply reply, int status) {
        if (reply.status() != status) {
            throw new AssertionError("expected " + status + " but got " + reply.status() + ": " + reply.body());
        }
    }

    @Override
    public void close() {
        server.close();
        jobyard.close();
    }
}
