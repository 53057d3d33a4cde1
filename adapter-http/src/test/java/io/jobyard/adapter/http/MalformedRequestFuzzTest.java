package io.jobyard.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.ApiWorld.Response;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.domain.job.Job;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of generated bad requests — broken ids, scopes, paging values and cursors, traversal in artifact paths
 * ({@code ..}, {@code %2e%2e}, encoded NUL, backslashes, absolute paths), unknown tokens, wrong methods, bodies that
 * are not JSON or not the right shape — sent raw over sockets to a running server. None may be a 5xx, every refusal
 * must be a JSON object with GitLab's {@code message} or {@code error} key, and no job may change: writes are only ever
 * attempted with credentials that may not write.
 */
class MalformedRequestFuzzTest {
    private static final int REQUESTS = 3000;
    private static final java.util.concurrent.atomic.AtomicInteger REFUSED_BY_SERVER =
            new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.regex.Pattern BROKEN_ESCAPE = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private static final String[] PROJECTS = {"{pid}", "acme%2Fapp", "acme%2Fsite", "-1", "0", "abc", "%00",
            "99999999999999999999999", "%zz", "..", "%2e%2e", "acme%2F..%2Fapp", "acme%2Fapp%00", "%C0%AE", "+1",
            "1%20", "%2F", "acme%5Capp"};
    private static final String[] JOB_IDS = {"{jid}", "{jid}", "abc", "-5", "0", "1e3", "99999999999999999999",
            "%31", "1.5", "+1", "%20", "%00", "0x10", "1_0", "9223372036854775807", "9223372036854775808", "%FF",
            "artifacts", "keep"};
    private static final String[] ARTIFACT_PATHS = {"out/report.txt", "%2e%2e/%2e%2e/etc/passwd",
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
    private static final String[] BODIES = {"{}", "{", "[]", "null", "\"x\"", "42", "not json", "{\"force\":{}}",
            "{\"force\":\"maybe\"}", "{\"job_variables_attributes\":\"x\"}",
            "{\"job_variables_attributes\":[{\"key\":null}]}", "{\"job_variables_attributes\":[1,2]}",
            "{\"job_variables_attributes\":{\"0\":{\"key\":\"A\"}}}", "{\"job_variables_attributes\":[{\"key\":\"bad key\","
            + "\"value\":\"v\"}]}", "{\"a\":1} trailing", "[".repeat(2000) + "]".repeat(2000), "\u0000\u0001\u0002",
            "a[=b&x", "private_token=pat-dev"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/x-www-form-urlencoded",
            "text/plain", "multipart/form-data; boundary=x", "application/vnd.api+json", "", "application/json; charset=utf-16"};
    private static final String[] READ_METHODS = {"GET", "HEAD"};
    private static final String[] WRITE_METHODS = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO"};

    @Test
    void noBadRequestIsAServerErrorOrChangesAnything() throws Exception {
        try (ApiWorld world = new ApiWorld()) {
            Map<Long, String> before = snapshot(world);
            Random random = new Random(20240501L);
            List<Request> requests = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                requests.add(generate(random, world));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Optional<String>>> outcomes = new ArrayList<>();
                for (Request request : requests) {
                    outcomes.add(pool.submit(() -> check(world, request)));
                }
                List<String> problems = new ArrayList<>();
                for (Future<Optional<String>> outcome : outcomes) {
                    outcome.get().ifPresent(problems::add);
                }
                assertThat(problems).as("requests answered wrongly").isEmpty();
                assertThat(REFUSED_BY_SERVER.get()).as("requests Undertow refused before the API saw them")
                        .isLessThan(REQUESTS / 5);
            } finally {
                pool.shutdownNow();
            }
            assertThat(snapshot(world)).as("jobs after the fuzzing").isEqualTo(before);
        }
    }

    private record Request(String method, String target, Map<String, String> headers, byte[] body) {
        @Override
        public String toString() {
            return method + " " + (target.length() > 200 ? target.substring(0, 200) + "..." : target) + " "
                    + headers + (body == null ? "" : " body=" + Math.min(body.length, 100) + "b");
        }
    }

    private static Optional<String> check(ApiWorld world, Request request) {
        Response response = RawHttp.send(world.port, request.method(), request.target(), request.headers(),
                request.body());
        if (response.status() >= 500) {
            return Optional.of(request + " → " + response);
        }
        if (response.header("x-content-type-options") == null) {
            // Undertow itself refuses a request target that is not a valid URI (a '%' not followed by two hex
            // digits) with an empty 400 before any handler runs; that is the only answer not from the API.
            boolean invalidUri = BROKEN_ESCAPE.matcher(request.target()).find();
            if (invalidUri && response.status() == 400) {
                REFUSED_BY_SERVER.incrementAndGet();
            }
            return invalidUri && response.status() == 400 ? Optional.empty()
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

    private static Request generate(Random random, ApiWorld world) {
        ApiWorld.ProjectJobs project = world.project(random.nextBoolean());
        boolean write = random.nextInt(3) == 0;
        String method = write ? pick(random, WRITE_METHODS) : pick(random, READ_METHODS);
        String pid = pick(random, PROJECTS).replace("{pid}", Long.toString(project.project().id().value()));
        String jid = pick(random, JOB_IDS).replace("{jid}", Long.toString(pick(random, new Job[]{project.build(),
                project.test(), project.deploy(), project.running()}).id().value()));
        String path = switch (random.nextInt(12)) {
            case 0 -> "/projects/" + pid + "/jobs";
            case 1 -> "/projects/" + pid + "/jobs/" + jid;
            case 2 -> "/projects/" + pid + "/jobs/" + jid + "/" + pick(random, ACTIONS);
            case 3 -> "/projects/" + pid + "/jobs/" + jid + "/artifacts/" + pick(random, ARTIFACT_PATHS);
            case 4 -> "/projects/" + pid + "/jobs/artifacts/" + pick(random, REFS) + "/download";
            case 5 -> "/projects/" + pid + "/jobs/artifacts/" + pick(random, REFS) + "/raw/"
                    + pick(random, ARTIFACT_PATHS);
            case 6 -> "/projects/" + pid + "/pipelines/" + pick(random, JOB_IDS).replace("{jid}",
                    Long.toString(project.main().id().value())) + "/jobs";
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
        String target = "/api/v4" + path + (query.length() > 0 ? "?" + query : "");
        Map<String, String> headers = new LinkedHashMap<>();
        String[] readers = {null, null, "pat-dev", "pat-max", "pat-gus", "pat-otto", "bogus", "ro-dev"};
        String[] nonWriters = {null, "bogus", "ro-dev", "pat-gus", ""};
        String token = write ? pick(random, nonWriters) : pick(random, readers);
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
            body = (random.nextInt(10) == 0 ? randomBytes(random) : pick(random, BODIES).getBytes(StandardCharsets.UTF_8));
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

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    /** What an accepted write would change: status, erase and expiry of every job, and the artifact count. */
    private static Map<Long, String> snapshot(ApiWorld world) {
        Map<Long, String> state = new LinkedHashMap<>();
        for (long id = 1; id <= 20; id++) {
            world.repos.jobs().findById(io.jobyard.domain.job.JobId.of(id)).ifPresent(job -> state.put(
                    job.id().value(), job.status() + " " + job.erasedAt() + " " + job.artifactsExpireAt() + " "
                            + job.lockVersion() + " " + job.spec().variables() + " "
                            + world.repos.artifacts().findByJob(job.id()).size()));
        }
        return state;
    }
}
