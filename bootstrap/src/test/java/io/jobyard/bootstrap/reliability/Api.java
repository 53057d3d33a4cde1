package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A GitLab API client for the reliability runs: an admin with a token, runners and jobs, all over plain HTTP. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOUNDARY = "reliability-boundary-7f3a";

    private final HttpClient http;
    private final String adminToken;
    private volatile String base;

    Api(String base, String adminToken) {
        this.base = base;
        this.adminToken = adminToken;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Points at a restarted server. */
    void base(String value) {
        base = value;
    }

    String base() {
        return base;
    }

    record Reply(int status, java.net.http.HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return status + " " + (body.length > 300 ? text().substring(0, 300) + "..." : text());
        }
    }

    /** An admin request with a form body (or none). */
    Reply admin(String method, String path, String form) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).header("PRIVATE-TOKEN", adminToken);
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        return send(request.method(method, form == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(form)));
    }

    /** The admin's request, which must answer {@code expected}. */
    JsonNode adminExpect(String method, String path, String form, int expected)
            throws IOException, InterruptedException {
        Reply reply = admin(method, path, form);
        if (reply.status() != expected) {
            throw new AssertionError(method + " " + path + " → " + reply);
        }
        return reply.json();
    }

    Reply requestJob(String runnerToken) throws IOException, InterruptedException {
        return send(request("/jobs/request").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + encode(runnerToken))));
    }

    Reply updateJob(long job, String jobToken, String state) throws IOException, InterruptedException {
        return send(request("/jobs/" + job).header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("token=" + encode(jobToken) + "&state=" + state)));
    }

    Reply appendTrace(long job, String jobToken, long offset, byte[] bytes) throws IOException, InterruptedException {
        return send(request("/jobs/" + job + "/trace").header("JOB-TOKEN", jobToken)
                .header("Content-Range", offset + "-" + (offset + bytes.length - 1))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    Reply uploadArchive(long job, String jobToken, byte[] zip) throws IOException, InterruptedException {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n" + jobToken
                + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"expire_in\"\r\n\r\nnever\r\n--"
                + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"artifacts.zip\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return send(request("/jobs/" + job + "/artifacts")
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).header("JOB-TOKEN", jobToken)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofByteArray(zip), HttpRequest.BodyPublishers.ofByteArray(tail))));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + "/api/v4" + path)).timeout(Duration.ofSeconds(60));
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.headers(), response.body());
    }

    /** Creates a project, returning its id. */
    long createProject(String namespace, String name) throws IOException, InterruptedException {
        return adminExpect("POST", "/projects", "name=" + name + "&namespace_path=" + namespace
                + "&visibility=private", 201).get("id").asLong();
    }

    /** Registers an instance runner, returning its token. */
    String createRunner() throws IOException, InterruptedException {
        return adminExpect("POST", "/user/runners", "runner_type=instance_type&run_untagged=true", 201)
                .get("token").asText();
    }

    /** Creates a pipeline from {@code ciConfig}, returning the ids of its jobs. */
    List<Long> createPipeline(long project, String ciConfig, int sequence) throws IOException, InterruptedException {
        JsonNode pipeline = adminExpect("POST", "/projects/" + project + "/pipeline", "ref=main&sha="
                + String.format("%040x", sequence) + "&ci_config=" + encode(ciConfig), 201);
        JsonNode jobs = adminExpect("GET", "/projects/" + project + "/pipelines/" + pipeline.get("id").asLong()
                + "/jobs?per_page=100", null, 200);
        List<Long> ids = new java.util.ArrayList<>();
        jobs.forEach(job -> ids.add(job.get("id").asLong()));
        return ids;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Log text no secret can hide in: hex digits and newlines, never the {@code glcbt-} of a job token. */
    static byte[] logBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (random.nextInt(40) == 0 ? '\n' : "0123456789abcdef".charAt(random.nextInt(16)));
        }
        return bytes;
    }

    /** A zip with one stored entry of random bytes. */
    static byte[] zip(Random random, int entrySize) {
        byte[] content = new byte[entrySize];
        random.nextBytes(content);
        CRC32 crc = new CRC32();
        crc.update(content);
        ByteArrayOutputStream out = new ByteArrayOutputStream(entrySize + 256);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry("out/data-" + random.nextInt(1000) + ".bin");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(entrySize);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
