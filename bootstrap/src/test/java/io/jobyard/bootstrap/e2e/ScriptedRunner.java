package io.jobyard.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.bootstrap.e2e.HttpApi.Response;

import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A runner in test code that speaks GitLab's runner job protocol as gitlab-runner (17.x) does, over HTTP only: JSON
 * bodies with its {@code info} hash on {@code POST /jobs/request} and {@code PUT /jobs/:id}, the job token in
 * {@code JOB-TOKEN} and {@code Content-Range: <start>-<end>} on trace patches, artifact parameters in the query of a
 * multipart upload. It asserts nothing itself: the tests read every answer.
 */
final class ScriptedRunner {
    /** What gitlab-runner announces about itself on every request. */
    static final Map<String, Object> INFO = Map.of(
            "name", "gitlab-runner", "version", "17.11.0", "revision", "0f67ff19", "platform", "linux",
            "architecture", "amd64", "executor", "shell", "shell", "bash",
            "features", Map.ofEntries(Map.entry("variables", true), Map.entry("artifacts", true),
                    Map.entry("upload_multiple_artifacts", true), Map.entry("upload_raw_artifacts", true),
                    Map.entry("refspecs", true), Map.entry("masking", true), Map.entry("raw_variables", true),
                    Map.entry("artifacts_exclude", true), Map.entry("multi_build_steps", true),
                    Map.entry("trace_reset", true), Map.entry("trace_checksum", true),
                    Map.entry("trace_size", true), Map.entry("cancelable", true),
                    Map.entry("return_exit_code", true), Map.entry("cancel_gracefully", true)),
            "config", Map.of("gpus", ""));

    private final HttpApi api;
    private final String token;
    private final String systemId;

    private ScriptedRunner(HttpApi api, String token, String systemId) {
        this.api = api;
        this.token = token;
        this.systemId = systemId;
    }

    /** {@code POST /user/runners}: an administrator creates an instance runner and hands its token to the runner. */
    static ScriptedRunner create(HttpApi api, String adminToken, String description) {
        Response created = api.json("POST", "/user/runners", adminToken, Map.of("runner_type", "instance_type",
                "description", description, "run_untagged", true));
        if (created.status() != 201) {
            throw new IllegalStateException("runner not created: " + created);
        }
        return new ScriptedRunner(api, created.json().get("token").asText(), "s_" + description.replace(' ', '_'));
    }

    String token() {
        return token;
    }

    /** {@code POST /jobs/request}: 201 with a job, 204 when there is none. */
    Response poll() {
        return poll(null);
    }

    /** As {@link #poll()}, sending the {@code X-GitLab-Last-Update} of an earlier 204 as gitlab-runner does. */
    Response poll(String lastUpdate) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("info", INFO);
        body.put("token", token);
        body.put("system_id", systemId);
        if (lastUpdate != null) {
            body.put("last_update", lastUpdate);
        }
        return api.json("POST", "/jobs/request", null, body);
    }

    /** The job the server hands out, if any. */
    Optional<RunningJob> requestJob() {
        Response answer = poll();
        if (answer.status() == 204) {
            return Optional.empty();
        }
        if (answer.status() != 201) {
            throw new IllegalStateException("job request refused: " + answer);
        }
        JsonNode payload = answer.json();
        return Optional.of(new RunningJob(payload.get("id").asLong(), payload.get("token").asText(), payload));
    }

    /** One job the runner holds: its id, its token, and the payload of {@code POST /jobs/request}. */
    final class RunningJob {
        final long id;
        final String token;
        final JsonNode payload;
        private final CRC32 checksum = new CRC32();
        private long sent;

        RunningJob(long id, String token, JsonNode payload) {
            this.id = id;
            this.token = token;
            this.payload = payload;
        }

        String name() {
            return payload.at("/job_info/name").asText();
        }

        /** {@code PATCH /jobs/:id/trace} at an explicit start, as the runner would after losing count. */
        Response patchTrace(long start, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return api.send(api.request("/jobs/" + id + "/trace")
                    .header("JOB-TOKEN", token)
                    .header("Content-Type", "text/plain")
                    // gitlab-runner's end is inclusive of the last byte: start + length - 1.
                    .header("Content-Range", start + "-" + (start + bytes.length - 1))
                    .method("PATCH", BodyPublishers.ofByteArray(bytes)));
        }

        /** The next part of the log at the offset the server last confirmed. */
        Response appendTrace(String text) {
            Response answer = patchTrace(sent, text);
            if (answer.status() == 202) {
                checksum.update(text.getBytes(StandardCharsets.UTF_8));
                sent = Long.parseLong(answer.header("Range").substring("0-".length()));
            }
            return answer;
        }

        long sent() {
            return sent;
        }

        /**
         * {@code POST /jobs/:id/artifacts?artifact_format=..&artifact_type=..[&expire_in=..]}: gitlab-runner's raw
         * upload, the parameters in the query and the file as the multipart {@code file} part.
         */
        Response uploadArtifact(String type, String format, String fileName, byte[] content, String expireIn) {
            StringBuilder query = new StringBuilder("?artifact_format=").append(format)
                    .append("&artifact_type=").append(type);
            if (expireIn != null) {
                query.append("&expire_in=").append(URLEncoder.encode(expireIn, StandardCharsets.UTF_8));
            }
            HttpApi.Multipart multipart = HttpApi.multipart(Map.of(), "file", fileName, content);
            return api.send(api.request("/jobs/" + id + "/artifacts" + query)
                    .header("JOB-TOKEN", token)
                    .header("Content-Type", multipart.contentType())
                    .POST(multipart.body()));
        }

        /** {@code GET /jobs/:dependency/artifacts} with this job's token: a dependency's archive. */
        Response downloadDependency(long dependencyId) {
            return api.send(api.request("/jobs/" + dependencyId + "/artifacts?direct_download=true")
                    .header("JOB-TOKEN", token).GET());
        }

        /**
         * Runs the job as gitlab-runner's shell executor would ({@link ShellExecutor}), sends its log and reports the
         * outcome: success, or failed with {@code script_failure} (or {@code runner_system_failure}) and the exit
         * code.
         */
        ShellExecutor.Outcome execute(ShellExecutor executor) {
            ShellExecutor.Outcome outcome = executor.run(payload);
            Response patched = appendTrace(outcome.log());
            if (patched.status() != 202) {
                throw new IllegalStateException("log refused: " + patched);
            }
            Response reported = outcome.succeeded() ? succeed()
                    : fail(outcome.systemFailure() ? "runner_system_failure" : "script_failure", outcome.exitCode());
            if (reported.status() != 200) {
                throw new IllegalStateException("state refused: " + reported);
            }
            return outcome;
        }

        /** {@code PUT /jobs/:id} with {@code state=running}: the heartbeat. */
        Response heartbeat() {
            return update("running", null, null);
        }

        Response succeed() {
            return update("success", null, 0);
        }

        Response fail(String failureReason, int exitCode) {
            return update("failed", failureReason, exitCode);
        }

        /** {@code PUT /jobs/:id} as gitlab-runner sends it, with the checksum and size of the log it sent. */
        Response update(String state, String failureReason, Integer exitCode) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("info", INFO);
            body.put("token", token);
            body.put("state", state);
            if (failureReason != null) {
                body.put("failure_reason", failureReason);
            }
            if (exitCode != null) {
                body.put("exit_code", exitCode);
            }
            String crc = "crc32:" + String.format("%08x", checksum.getValue());
            body.put("checksum", crc);
            body.put("output", Map.of("checksum", crc, "bytesize", sent));
            return api.json("PUT", "/jobs/" + id, null, body);
        }
    }
}
