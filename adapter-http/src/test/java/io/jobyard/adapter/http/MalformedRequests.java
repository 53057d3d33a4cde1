package io.jobyard.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.ApiWorld.Response;
import io.jobyard.adapter.http.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Generated bad requests against the Jobs API — broken ids, scopes, paging values and cursors, traversal in artifact
 * paths ({@code ..}, {@code %2e%2e}, encoded NUL, backslashes, absolute paths), unknown tokens, wrong methods, bodies
 * that are not JSON or not the right shape — and the check every answer must pass: never a 5xx, every refusal a JSON
 * object with GitLab's {@code message} or {@code error} key. Writes are only ever generated with credentials that may
 * not write. Shared by {@link MalformedRequestFuzzTest} (in-memory ports) and bootstrap's fuzzing of the real server.
 */
public final class MalformedRequests {
    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private static final String[] PROJECTS = {"{pid}", "acme%2Fapp", "acme%2Fsite", "-1", "0", "abc", "%00",
            "99999999999999999999999", "%zz", "..", "%2e%2e", "acme%2F..%2Fapp", "acme%2Fapp%00", "%C0%AE", "+1",
            "1%20", "%2F", "acme%5Capp"};
    private static final String[] JOB_IDS = {"{jid}", "{jid}", "abc", "-5", "0", "1e3", "99999999999999999999",
            "%31", "1.5", "+1", "%20", "%00", "0x10", "1_0", "9223372036854775807", "9223372036854775808", "%FF",
            "artifacts", "keep"};
    public static final String[] ARTIFACT_PATHS = {"out/report.txt", "%2e%2e/%2e%2e/etc/passwd",
            "../../etc/passwd", "..%2F..%2Fsecret", "%00", "a%00b", "%5C..%5Cwindows", "..%5Cx", "%2Fetc%2Fpasswd",
            "C:%5Cwin.ini", "%C0%AE%C0%AE/x", "%FF%FE", "out//report.txt", "out/./report.txt", "%25", "%",
            "x".repeat(5000), "a/".repeat(300) + "b", "index.html%3Fjob%3Dbuild", "out/report.txt%00.png"};
    private static final String[] REFS = {"main", "feature/login", "feature%2Flogin", "%00", "..", "%2e%2e",
            "a%2Fraw%2Fb", "raw", "download", "%FF", "+", "main%20", "refs%2Fheads%2Fmain"};
    private static final String[] ACTIONS = {"cancel", "retry", "erase", "play", "keep", "artifacts/keep",
            "artifacts", "trace", "nothing"};
    private static final String[] QUERIES = {"scope=bogus", "scope[]=running", "scope[a][b]=x",
            "scope=running,failed", "scope[=x", "scope[]=", "scope=running&scope[]=failed", "per_page=0",
            "per_page=-1", "per_page=abc", "per_page=99999999999999999999999", "page=-1", "page=abc",
            "page=99999999999999999999", "page=600&per_page=100", "pagination=keyset", "pagination=keyset&cursor=@@",
            "pagination=keyset&cursor=eyJpZCI6IngifQ", "pagination=keyset&cursor=W10=", "pagination=keyset&order_by=name",
            "pagination=keyset&sort=asc", "job=build", "job=", "job[]=x", "job[a]=b", "include_retried=maybe",
            "force=maybe", "force[]=1", "private_token=bogus", "private_token[]=x", "job_token=bogus", "token=x",
            "%zz=1", "a[=1", "[]=1", "a]]]=1", "a[b][c][d][e][f][g][h][i][j][k][l][m][n][o][p][q][r][s][t][u][v][w][x]"
            + "[y][z][a][b][c][d][e][f][g][h][i][j]=1", "job_variables_attributes=x",
            "job_variables_attributes[][key]=A", "job_variables_attributes[0][value]=1", "&&&", "=", "%00=%00"};
    public static final String[] BODIES = {"{}", "{", "[]", "null", "\"x\"", "42", "not json", "{\"force\":{}}",
            "{\"force\":\"maybe\"}", "{\"job_variables_attributes\":\"x\"}",
            "{\"job_variables_attributes\":[{\"key\":null}]}", "{\"job_variables_attributes\":[1,2]}",
            "{\"job_variables_attributes\":{\"0\":{\"key\":\"A\"}}}", "{\"job_variables_attributes\":[{\"key\":\"bad key\","
            + "\"value\":\"v\"}]}", "{\"a\":1} trailing", "[".repeat(2000) + "]".repeat(2000), "\u0000\u0001\u0002",
            "a[=b&x", "private_token=pat-dev"};
    public static final String[] CONTENT_TYPES = {"application/json", "application/x-www-form-urlencoded",
            "text/plain", "multipart/form-data; boundary=x", "application/vnd.api+json", "", "application/json; charset=utf-16"};
    private static final String[] READ_METHODS = {"GET", "HEAD"};
    public static final String[] WRITE_METHODS = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO"};
    /** Who asks: a token name a {@link Target} maps to a real secret, or null for none. */
    private static final String[] READERS = {null, null, "pat-dev", "pat-max", "pat-gus", "pat-otto", "bogus",
            "ro-dev"};
    private static final String[] NON_WRITERS = {null, "bogus", "ro-dev", "pat-gus", ""};

    private MalformedRequests() {
    }

    /**
     * What the requests aim at: projects with their jobs and a CI job token of a running job, and the secrets of the
     * named tokens ({@code pat-dev} of a developer, {@code pat-max} of a maintainer, {@code pat-gus} of a guest,
     * {@code pat-otto} of an outsider, {@code ro-dev} a developer's read_api token). The projects are {@code acme/app}
     * and {@code acme/site}, which some generated paths name literally.
     */
    public record Target(List<ProjectTarget> projects, Function<String, String> tokens) {
    }

    /** One project: its id, a pipeline, four of its jobs, and the CI job token of a running one. */
    public record ProjectTarget(long projectId, long pipelineId, List<Long> jobIds, String jobToken) {
    }

    public record Request(String method, String target, Map<String, String> headers, byte[] body) {
        @Override
        public String toString() {
            return method + " " + (target.length() > 200 ? target.substring(0, 200) + "..." : target) + " "
                    + headers + (body == null ? "" : " body=" + Math.min(body.length, 100) + "b");
        }
    }

    /** What is wrong with {@code response} to {@code request}, if anything. */
    public static Optional<String> problem(Request request, Response response) {
        if (response.status() >= 500) {
            return Optional.of(request + " → " + response);
        }
        if (response.header("x-content-type-options") == null) {
            // Undertow itself refuses a request target that is not a valid URI (a '%' not followed by two hex
            // digits) with an empty 400 before any handler runs; that is the only answer not from the API.
            return refusedByServer(request, response) ? Optional.empty()
                    : Optional.of(request + " → not answered by the API: " + response);
        }
        if (response.status() < 400 || request.method().equals("HEAD")) {
            return Optional.empty();
        }
        if (!"application/json".equals(response.header("content-type"))) {
            return Optional.of(request + " → not JSON: " + response);
        }
        Optional<JsonNode> body = Json.read(response.body());
        if (body.isEmpty() || !body.get().isObject()
                || !(body.get().has("message") || body.get().has("error"))) {
            return Optional.of(request + " → malformed error body: " + response);
        }
        return Optional.empty();
    }

    /** Undertow's own empty 400 for a request target with a broken escape. */
    public static boolean refusedByServer(Request request, Response response) {
        return response.header("x-content-type-options") == null && response.status() == 400
                && BROKEN_ESCAPE.matcher(request.target()).find();
    }

    /** One generated request below {@code prefix} (e.g. {@code /api/v4}). */
    public static Request generate(Random random, Target world, String prefix) {
        ProjectTarget project = pick(random, world.projects());
        boolean write = random.nextInt(3) == 0;
        String method = write ? pick(random, WRITE_METHODS) : pick(random, READ_METHODS);
        String pid = pick(random, PROJECTS).replace("{pid}", Long.toString(project.projectId()));
        String jid = pick(random, JOB_IDS).replace("{jid}", Long.toString(pick(random, project.jobIds())));
        String path = switch (random.nextInt(12)) {
            case 0 -> "/projects/" + pid + "/jobs";
            case 1 -> "/projects/" + pid + "/jobs/" + jid;
            case 2 -> "/projects/" + pid + "/jobs/" + jid + "/" + pick(random, ACTIONS);
            case 3 -> "/projects/" + pid + "/jobs/" + jid + "/artifacts/" + pick(random, ARTIFACT_PATHS);
            case 4 -> "/projects/" + pid + "/jobs/artifacts/" + pick(random, REFS) + "/download";
            case 5 -> "/projects/" + pid + "/jobs/artifacts/" + pick(random, REFS) + "/raw/"
                    + pick(random, ARTIFACT_PATHS);
            case 6 -> "/projects/" + pid + "/pipelines/" + pick(random, JOB_IDS).replace("{jid}",
                    Long.toString(project.pipelineId())) + "/jobs";
            case 7 -> "/projects/" + pid + "/artifacts";
            case 8 -> "/job";
            case 9 -> pick(random, new String[]{"/", "", "/projects", "/projects/", "/jobs/request", "/%00",
                    "/projects/" + pid, "//projects//" + pid + "//jobs//"});
            case 10 -> "/projects/" + pid + "/jobs/" + jid + "/artifacts/" + pick(random, ARTIFACT_PATHS)
                    + "/" + pick(random, ACTIONS);
            default -> "/projects/" + pid + "/jobs/" + jid + "/" + pick(random, ACTIONS) + "/" + pick(random, ACTIONS);
        };
        StringBuilder query = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            query.append(query.length() == 0 ? "" : "&").append(pick(random, QUERIES));
        }
        String target = prefix + path + (query.length() > 0 ? "?" + query : "");
        Map<String, String> headers = new LinkedHashMap<>();
        String token = secret(world, write ? pick(random, NON_WRITERS) : pick(random, READERS));
        switch (random.nextInt(5)) {
            case 0 -> {
                if (token != null) {
                    headers.put("Authorization", "Bearer " + token);
                }
            }
            case 1 -> headers.put("JOB-TOKEN", random.nextBoolean() ? project.jobToken() : "jt-bogus");
            case 2 -> headers.put("Authorization", "Basic " + token);
            default -> {
                if (token != null) {
                    headers.put("PRIVATE-TOKEN", token);
                }
            }
        }
        if (random.nextInt(6) == 0) {
            headers.put("Range", pick(random, new String[]{"bytes=0-", "bytes=-0", "bytes=99999999999-",
                    "bytes=5-1", "bytes=a-b", "items=1-2", "bytes=0-1,2-3", "bytes=-99999999999999999999"}));
        }
        if (random.nextInt(8) == 0) {
            headers.put("If-None-Match", pick(random, new String[]{"*", "\"x\"", "W/\"x\"", "garbage", ""}));
        }
        if (random.nextInt(8) == 0) {
            headers.put("Accept", pick(random, new String[]{"application/json", "*", "text/html", "image/png"}));
        }
        byte[] body = null;
        if (write && random.nextBoolean()) {
            body = random.nextInt(10) == 0 ? randomBytes(random, 64)
                    : pick(random, BODIES).getBytes(StandardCharsets.UTF_8);
            String type = pick(random, CONTENT_TYPES);
            if (!type.isEmpty()) {
                headers.put("Content-Type", type);
            }
        }
        if (write && random.nextInt(200) == 0) {
            body = new byte[2 * 1024 * 1024];
            headers.put("Content-Type", "application/json");
        }
        return new Request(method, target, headers, body);
    }

    private static String secret(Target world, String name) {
        return name == null || name.isEmpty() || name.equals("bogus") ? name : world.tokens().apply(name);
    }

    public static byte[] randomBytes(Random random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength)];
        random.nextBytes(bytes);
        return bytes;
    }

    public static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    public static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
