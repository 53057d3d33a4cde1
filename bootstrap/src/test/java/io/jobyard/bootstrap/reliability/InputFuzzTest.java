package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.ApiWorld.Response;
import io.jobyard.adapter.http.MalformedRequests;
import io.jobyard.adapter.http.MalformedRequests.Request;
import io.jobyard.adapter.http.RawHttp;
import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jobyard.adapter.http.MalformedRequests.pick;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, input fuzzing: generated requests against the real standalone server (in this JVM, H2 file mode,
 * filesystem storage) — the Jobs API's malformed requests of adapter-http's {@link MalformedRequests}, plus what only
 * the whole server has: the runner protocol (log appends with odd {@code Content-Range} values, state updates,
 * multipart artifact uploads broken in every way), pipeline creation and the admin routes, percent-encoding games on
 * every path, and odd headers. No answer may be a 5xx, every error must be GitLab-shaped JSON, and the heap must be as
 * large afterwards as after the warm-up.
 *
 * <p>Requests with a valid CI job token may change things (append to a log, upload an archive, drop the job for an
 * oversized log); the harness keeps a fresh running job at hand for them.
 *
 * <p>Reduced to 5,000 requests in {@code mvn verify}; {@code -Dreliability.full=true} sends 100,000.
 */
class InputFuzzTest {
    private static final String ADMIN_TOKEN = "fuzz-admin-token-0123456789abcdef";
    private static final int BATCH = 250;
    private static final String CI_CONFIG = "build: {stage: build, script: [x]}\ntest: {stage: test, script: [x]}\n"
            + "deploy: {stage: test, script: [x], when: manual}\n";
    private static final String[] CONTENT_RANGES = {"0-5", "", "bytes 0-5/10", "-1-5", "5-1", "a-b", "0-", "-",
            "99999999999999999999-1", "0-99999999999999999999", "9223372036854775807-9223372036854775807", "1-2-3",
            " 0-5", "0 - 5", "0-5,6-7", "\t", "%30-5", "0x0-5", "+0-5", "0-5/*", "{offset}-{end}", "{offset}-{end}",
            "{offset}-0", "{offset}", "-{offset}"};
    private static final String[] STATES = {"running", "running", "bogus", "", "RUNNING", "success%00", "null"};
    private static final String[] EXPIRES = {"never", "1 week", "3 fortnights", "-1 day", "99999999999 years", "0",
            "1e9 seconds", "", "%00"};
    private static final String[] ARTIFACT_TYPES = {"archive", "junit", "bogus", "", "trace", "metadata", "lsif",
            "ARCHIVE", "archive%00"};
    private static final String[] ARTIFACT_FORMATS = {"zip", "gzip", "raw", "bogus", "", "ZIP"};
    private static final String[] FILENAMES = {"artifacts.zip", "../../etc/passwd", "a\u0000b.zip", "x".repeat(3000),
            "", "C:\\win.ini", "\u202Egnp.zip", "%2e%2e%2fx"};
    private static final String[] YAML = {"build: {script: [make]}", "", "---", "[1, 2]", "a: &a [*a]",
            "build: {script: [make], when: sometimes}", "build: {stage: nowhere, script: [x]}", "\t\tx: y",
            "build: {script: " + "[".repeat(500) + "]".repeat(500) + "}", "stages: [a, a]\nb: {stage: a, script: [x]}",
            "x: " + "y".repeat(70_000), "build: {needs: [nope], script: [x]}", "!!java.lang.Runtime {}",
            "a: !!binary AAAA", "build: {script: [x], retry: 99}", "\u0000", "build: {script: [x], timeout: forever}"};
    private static final String[] ENCODINGS = {"%252F", "%C0%AF", "%E2%80%AE", "%EF%BB%BF", "%u002F", "%2", "%%",
            "\u00e9", "\u00ff", ";jsessionid=1", "/.", "/..", "//", "%09", "%0D%0A", "%7F", "?", "#frag", "\\"};

    @TempDir
    Path dataDir;

    private final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();

    /** The secrets behind the generator's token names, the running jobs' CI tokens, and what the projects hold. */
    private static final class World {
        final Map<String, String> tokens = new HashMap<>();
        final List<MalformedRequests.ProjectTarget> projects = new ArrayList<>();
        volatile long runningJob;
        volatile String runningToken;
        final AtomicInteger pipelines = new AtomicInteger();
        volatile String runnerToken;
        long appProject;
    }

    @Test
    void noGeneratedRequestIsAServerErrorOrAnUnshapedErrorAndTheHeapStaysFlat() throws Exception {
        int requests = ReliabilitySize.of("fuzz.requests", 5_000, 100_000);
        long seed = ReliabilitySize.seed("fuzz");
        System.out.printf("fuzzing: %d requests, seed %d%n", requests, seed);
        try (QuietLogs quiet = new QuietLogs();
             // The fuzzer presents many unknown tokens from one address, which the failed-authentication throttle
             // would ban after ten (AuthThrottleEndToEndTest proves that); here every request must reach the API.
             Standalone server = Standalone.start(Configuration.from(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND",
                     "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN,
                     "JOBYARD_AUTH_THROTTLE", "false")))) {
            int port = server.port();
            Api api = new Api("http://127.0.0.1:" + port, ADMIN_TOKEN);
            World world = setUp(api);
            Random random = new Random(seed);
            MalformedRequests.Target target = new MalformedRequests.Target(world.projects, world.tokens::get);
            List<String> problems = new ArrayList<>();
            int refusedByServer = 0;
            long baseline = 0;
            long started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (int sent = 0; sent < requests; sent += BATCH) {
                    freshRunningJob(api, world);
                    List<Future<Outcome>> batch = new ArrayList<>();
                    for (int i = 0; i < Math.min(BATCH, requests - sent); i++) {
                        Request request = generate(random, target, world);
                        batch.add(pool.submit(() -> send(port, request)));
                    }
                    for (Future<Outcome> future : batch) {
                        Outcome outcome = future.get();
                        outcome.problem().ifPresent(problems::add);
                        refusedByServer += outcome.refusedByServer() ? 1 : 0;
                    }
                    if (sent == 4 * BATCH) {
                        baseline = usedHeapAfterGc();
                    }
                    if (problems.size() > 50) {
                        break;
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
            long after = usedHeapAfterGc();
            System.out.printf("fuzzing: %d requests in %d s (%d/s); statuses %s; %d refused by Undertow before the "
                            + "API (invalid request target); heap after warm-up %d MiB, after all requests %d MiB%n",
                    requests, seconds, requests / seconds, new TreeMap<>(statuses), refusedByServer, baseline >> 20,
                    after >> 20);
            assertThat(problems).as("requests answered wrongly").isEmpty();
            assertThat(refusedByServer).as("requests refused before the API").isLessThan(requests / 10);
            // The server and this test share the JVM; what remains after a full GC is the server's retained state.
            assertThat(after - baseline).as("heap growth in bytes").isLessThan(64L << 20);
        }
    }

    private record Outcome(Optional<String> problem, boolean refusedByServer) {
    }

    private Outcome send(int port, Request request) {
        Response response;
        try {
            response = RawHttp.send(port, request.method(), request.target(), request.headers(), request.body());
        } catch (RuntimeException e) {
            return new Outcome(Optional.of(request + " → no answer: " + e), false);
        }
        statuses.computeIfAbsent(Integer.toString(response.status()), any -> new AtomicInteger()).incrementAndGet();
        boolean stateRefused = request.method().equals("PUT") && request.target().matches("/api/v4/jobs/+\\d+/*")
                && response.status() == 400 && response.text().equals("400");
        // GitLab answers a state update it cannot apply with the bare status code as its body (contract §5.2); the
        // router collapses repeated and trailing slashes, so /jobs///34 is that route too
        return new Outcome(stateRefused ? Optional.empty() : MalformedRequests.problem(request, response),
                MalformedRequests.refusedByServer(request, response));
    }

    private Request generate(Random random, MalformedRequests.Target target, World world) {
        int kind = random.nextInt(100);
        Request request;
        if (kind < 45) {
            request = MalformedRequests.generate(random, target, "/api/v4");
        } else if (kind < 60) {
            request = traceAppend(random, world);
        } else if (kind < 68) {
            request = stateUpdate(random, world);
        } else if (kind < 80) {
            request = artifactUpload(random, world);
        } else if (kind < 86) {
            request = runnerRoutes(random, world);
        } else if (kind < 94) {
            request = pipelineAndAdmin(random, world);
        } else {
            request = MalformedRequests.generate(random, target, "/api/v4");
        }
        if (random.nextInt(4) == 0) {
            request = reencode(random, request);
        }
        if (random.nextInt(10) == 0) {
            request = oddHeaders(random, request);
        }
        return request;
    }

    private static String jobToken(Random random, World world) {
        return pick(random, new String[]{world.runningToken, world.runningToken, world.runningToken, "glcbt-bogus",
                "", "%00", ADMIN_TOKEN});
    }

    private Request traceAppend(Random random, World world) {
        Map<String, String> headers = new LinkedHashMap<>();
        String token = jobToken(random, world);
        String query = "";
        if (random.nextInt(4) == 0) {
            query = "?token=" + Api.encode(token) + pick(random, new String[]{"", "&debug_trace=maybe",
                    "&debug_trace[]=1", "&token=other"});
        } else if (random.nextInt(8) > 0) {
            headers.put("JOB-TOKEN", token);
        }
        byte[] body = random.nextInt(5) == 0 ? MalformedRequests.randomBytes(random, 4096)
                : Api.logBytes(random, random.nextInt(2048));
        if (random.nextInt(8) > 0) {
            headers.put("Content-Range", pick(random, CONTENT_RANGES)
                    .replace("{offset}", Integer.toString(random.nextInt(3) == 0 ? random.nextInt(100_000) : 0))
                    .replace("{end}", Integer.toString(body.length)));
        }
        if (random.nextInt(6) == 0) {
            headers.put("Content-Type", pick(random, MalformedRequests.CONTENT_TYPES));
        }
        String method = random.nextInt(10) == 0 ? pick(random, new String[]{"PUT", "POST", "GET", "DELETE"})
                : "PATCH";
        return new Request(method, "/api/v4/jobs/" + jobId(random, world) + "/trace" + query, headers, body);
    }

    private Request stateUpdate(Random random, World world) {
        String token = jobToken(random, world);
        String[] bodies = {"token=" + token + "&state=" + pick(random, STATES),
                "state=running", "token=" + token, "token[]=" + token + "&state=running",
                "token=" + token + "&state=running&exit_code=abc", "token=" + token + "&state=running&checksum=crc32:zz",
                "token=" + token + "&state=running&output[bytesize]=-1", "{\"token\":\"" + token + "\",\"state\":{}}",
                "{\"token\":" + random.nextInt() + "}", "token=" + token + "&state=running&failure_reason=\u00ff",
                new String(MalformedRequests.randomBytes(random, 200), StandardCharsets.ISO_8859_1)};
        Map<String, String> headers = new LinkedHashMap<>();
        String body = pick(random, bodies);
        headers.put("Content-Type", body.startsWith("{") ? "application/json"
                : pick(random, new String[]{"application/x-www-form-urlencoded", "application/x-www-form-urlencoded",
                "text/plain", "application/json", "multipart/form-data"}));
        return new Request(pick(random, new String[]{"PUT", "PUT", "PUT", "POST", "PATCH"}),
                "/api/v4/jobs/" + jobId(random, world), headers, body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Request artifactUpload(Random random, World world) {
        String boundary = "b" + random.nextInt(1000);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", pick(random, new String[]{"multipart/form-data; boundary=" + boundary,
                "multipart/form-data; boundary=" + boundary, "multipart/form-data; boundary=" + boundary,
                "multipart/form-data", "multipart/form-data; boundary=", "multipart/mixed; boundary=" + boundary,
                "application/octet-stream", "multipart/form-data; boundary=other"}));
        if (random.nextInt(3) > 0) {
            headers.put("JOB-TOKEN", jobToken(random, world));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            String[] field = pick(random, new String[][]{{"token", jobToken(random, world)},
                    {"expire_in", pick(random, EXPIRES)}, {"artifact_type", pick(random, ARTIFACT_TYPES)},
                    {"artifact_format", pick(random, ARTIFACT_FORMATS)},
                    {"accessibility", pick(random, new String[]{"public", "private", "none", "bogus", ""})},
                    {"file", "not a file part"}, {"x".repeat(300), "y"}});
            part(body, boundary, "name=\"" + field[0] + "\"", null, field[1].getBytes(StandardCharsets.UTF_8));
        }
        if (random.nextInt(6) > 0) {
            byte[] content = switch (random.nextInt(5)) {
                case 0 -> MalformedRequests.randomBytes(random, 4096);
                case 1 -> new byte[0];
                case 2 -> truncated(random, Api.zip(random, random.nextInt(4096)));
                default -> Api.zip(random, random.nextInt(16_384));
            };
            part(body, boundary, "name=\"file\"; filename=\"" + pick(random, FILENAMES) + "\"",
                    pick(random, new String[]{"application/octet-stream", "application/zip", null, "\u00ff"}), content);
        }
        if (random.nextInt(6) > 0) {
            body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        return new Request(random.nextInt(12) == 0 ? "PUT" : "POST", "/api/v4/jobs/" + jobId(random, world)
                + "/artifacts" + pick(random, new String[]{"", "", "?artifact_type=bogus", "?expire_in=%00",
                "?token=" + world.runningToken}), headers, body.toByteArray());
    }

    private static byte[] truncated(Random random, byte[] zip) {
        return java.util.Arrays.copyOf(zip, random.nextInt(zip.length + 1));
    }

    private static void part(ByteArrayOutputStream body, String boundary, String disposition, String type,
                             byte[] content) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; " + disposition + "\r\n"
                + (type == null ? "" : "Content-Type: " + type + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private Request runnerRoutes(Random random, World world) {
        String token = pick(random, new String[]{world.runnerToken, "glrt-bogus", "", "%00", world.runningToken});
        String[] bodies = {"token=" + token, "token=" + token + "&last_update=" + random.nextInt(),
                "token=" + token + "&info[features][x]=1&info[name]=" + "n".repeat(2000), "{\"token\":\"" + token
                + "\",\"info\":[]}", "{\"token\":null}", "token[]=" + token, "", "system_id=" + "s".repeat(5000)};
        String[][] routes = {{"POST", "/jobs/request"}, {"POST", "/runners/verify"}, {"DELETE", "/runners"},
                {"POST", "/user/runners"}, {"GET", "/jobs/" + jobId(random, world) + "/artifacts"},
                {"GET", "/jobs/" + jobId(random, world) + "/artifacts?direct_download=maybe&token=" + token},
                {"POST", "/runners"}};
        String[] route = pick(random, routes);
        Map<String, String> headers = new LinkedHashMap<>();
        String body = pick(random, bodies);
        headers.put("Content-Type", body.startsWith("{") ? "application/json" : "application/x-www-form-urlencoded");
        if (random.nextInt(4) == 0) {
            headers.put("JOB-TOKEN", jobToken(random, world));
        }
        if (route[1].equals("/user/runners") && random.nextBoolean()) {
            headers.put("PRIVATE-TOKEN", pick(random, new String[]{"bogus", world.tokens.get("pat-dev"), ADMIN_TOKEN}));
            body = pick(random, new String[]{"runner_type=bogus", "runner_type=project_type", "run_untagged=maybe",
                    "tag_list[]=" + "t".repeat(300), "runner_type=group_type&group_id=x"});
        }
        return new Request(route[0], "/api/v4" + route[1], headers,
                route[0].equals("GET") ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private Request pipelineAndAdmin(Random random, World world) {
        String token = pick(random, new String[]{ADMIN_TOKEN, ADMIN_TOKEN, world.tokens.get("pat-dev"),
                world.tokens.get("pat-gus"), world.tokens.get("ro-dev"), "bogus"});
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("PRIVATE-TOKEN", token);
        String path;
        String body;
        switch (random.nextInt(5)) {
            case 0 -> {
                path = "/projects/" + pick(random, new String[]{Long.toString(world.appProject), "acme%2Fapp",
                        "acme%2Fsite", "0", "%00"}) + "/pipeline";
                body = pick(random, new String[]{"ref=main", "ref=", "ref=%00", "ref=" + "r".repeat(2000),
                        "ref=../x", "ref[]=main"}) + pick(random, new String[]{"&sha=" + "a".repeat(40), "&sha=zz",
                        "", "&sha=" + "a".repeat(41)}) + "&ci_config=" + Api.encode(pick(random, YAML))
                        + pick(random, new String[]{"", "&variables[][key]=A&variables[][value]=1",
                        "&variables=x", "&variables[0][key]=bad key"});
            }
            case 1 -> {
                path = "/users";
                body = pick(random, new String[]{"username=&name=x&email=y", "username=a/b&name=x&email=y@z",
                        "username=" + "u".repeat(300) + "&name=x&email=e@x", "name=x", "username=root&name=r&email=r@x",
                        "username=u" + random.nextInt(1000) + "&name=%00&email=%FF&admin=maybe"});
            }
            case 2 -> {
                path = "/users/" + pick(random, new String[]{"1", "2", "0", "-1", "abc", "99999999999999999999"})
                        + "/personal_access_tokens";
                body = pick(random, new String[]{"name=t&scopes[]=api", "name=t&scopes[]=bogus", "name=t",
                        "scopes[]=api", "name=t&scopes[]=api&expires_at=yesterday", "name=t&scopes[][x]=api",
                        "name=t&scopes[]=api&expires_at=1999-01-01"});
            }
            case 3 -> {
                path = "/projects";
                body = pick(random, new String[]{"name=", "path=..", "name=x&visibility=secret",
                        "name=x&namespace_path=%00", "name=" + "n".repeat(500), "name=x&public_jobs=maybe",
                        "path=a/b", "name=\u00ff\u00fe"});
            }
            default -> {
                path = "/projects/" + world.appProject + "/members";
                body = pick(random, new String[]{"user_id=2&access_level=30", "user_id=2&access_level=31",
                        "user_id=abc&access_level=30", "access_level=30", "user_id=99999&access_level=30",
                        "user_id=2&access_level=99999999999999999999"});
            }
        }
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        return new Request(random.nextInt(10) == 0 ? "PUT" : "POST", "/api/v4" + path, headers,
                body.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The same request with its path percent-encoding played with. */
    private static Request reencode(Random random, Request request) {
        String target = request.target();
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String rest = query < 0 ? "" : target.substring(query);
        int at = 1 + random.nextInt(Math.max(1, path.length() - 1));
        String mutated = switch (random.nextInt(4)) {
            case 0 -> path.substring(0, at) + pick(random, ENCODINGS) + path.substring(at);
            case 1 -> path.substring(0, at) + String.format("%%%02X", (int) path.charAt(at - 1))
                    + path.substring(at);
            case 2 -> path.replace("%", "%25");
            default -> path.toUpperCase(java.util.Locale.ROOT);
        };
        return new Request(request.method(), mutated + rest, request.headers(), request.body());
    }

    /** Odd but well-formed headers: repeated, huge, non-ASCII, unknown encodings. */
    private static Request oddHeaders(Random random, Request request) {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        switch (random.nextInt(6)) {
            case 0 -> headers.put("X-Junk", "j".repeat(6000));
            case 1 -> headers.put("Accept-Encoding", "gzip;q=0.\u00ff, br, *;q=abc");
            case 2 -> headers.put("Content-Encoding", pick(random, new String[]{"gzip", "br", "identity", "bogus"}));
            case 3 -> headers.put("PRIVATE-TOKEN", "\u00e9\u00ff" + ADMIN_TOKEN);
            case 4 -> headers.put("Expect", pick(random, new String[]{"100-continue", "bogus"}));
            default -> headers.put("Authorization", pick(random, new String[]{"Bearer", "Bearer ", "Basic ===",
                    "Digest x", "Bearer " + "t".repeat(4000)}));
        }
        return new Request(request.method(), request.target(), headers, request.body());
    }

    private static String jobId(Random random, World world) {
        return pick(random, new String[]{Long.toString(world.runningJob), Long.toString(world.runningJob),
                Long.toString(world.runningJob), "0", "-1", "abc", "99999999999999999999", "%31", "1.5"});
    }

    private World setUp(Api api) throws IOException, InterruptedException {
        World world = new World();
        Map<String, Long> users = new HashMap<>();
        for (String name : List.of("dev", "max", "gus", "otto")) {
            users.put(name, api.adminExpect("POST", "/users", "username=" + name + "&name=" + name + "&email=" + name
                    + "@example.com", 201).get("id").asLong());
            world.tokens.put("pat-" + name, token(api, users.get(name), "api"));
        }
        world.tokens.put("ro-dev", token(api, users.get("dev"), "read_api"));
        world.runnerToken = api.createRunner();
        for (String path : List.of("app", "site")) {
            JsonNode project = api.adminExpect("POST", "/projects", "name=" + path + "&namespace_path=acme&visibility="
                    + (path.equals("app") ? "private" : "public"), 201);
            long id = project.get("id").asLong();
            api.adminExpect("POST", "/projects/" + id + "/members", "user_id=" + users.get("max")
                    + "&access_level=40", 201);
            api.adminExpect("POST", "/projects/" + id + "/members", "user_id=" + users.get("dev")
                    + "&access_level=30", 201);
            api.adminExpect("POST", "/projects/" + id + "/members", "user_id=" + users.get("gus")
                    + "&access_level=10", 201);
            List<Long> jobs = api.createPipeline(id, CI_CONFIG, world.pipelines.incrementAndGet());
            long pipeline = api.adminExpect("GET", "/projects/" + id + "/jobs/" + jobs.get(0), null, 200)
                    .get("pipeline").get("id").asLong();
            JsonNode taken = api.requestJob(world.runnerToken).json();
            api.appendTrace(taken.get("id").asLong(), taken.get("token").asText(), 0,
                    "log\n".getBytes(StandardCharsets.UTF_8));
            world.projects.add(new MalformedRequests.ProjectTarget(id, pipeline, jobs, taken.get("token").asText()));
            if (path.equals("app")) {
                world.appProject = id;
            }
        }
        return world;
    }

    private static String token(Api api, long user, String scope) throws IOException, InterruptedException {
        return api.adminExpect("POST", "/users/" + user + "/personal_access_tokens", "name=fuzz&scopes[]=" + scope,
                201).get("token").asText();
    }

    /** A running job whose CI token the runner-side requests use; its predecessor may have been dropped by them. */
    private static void freshRunningJob(Api api, World world) throws IOException, InterruptedException {
        Api.Reply taken = api.requestJob(world.runnerToken);
        if (taken.status() == 403) {
            world.runnerToken = api.createRunner(); // a generated DELETE /runners carried the real token
            taken = api.requestJob(world.runnerToken);
        }
        if (taken.status() == 204) {
            api.createPipeline(world.appProject, CI_CONFIG, world.pipelines.incrementAndGet());
            taken = api.requestJob(world.runnerToken);
        }
        assertThat(taken.status()).as("a job for the runner-side requests").isEqualTo(201);
        world.runningJob = taken.json().get("id").asLong();
        world.runningToken = taken.json().get("token").asText();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
