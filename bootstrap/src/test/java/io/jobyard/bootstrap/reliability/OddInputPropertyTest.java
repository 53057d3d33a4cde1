package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.ApiWorld.Response;
import io.jobyard.adapter.http.MalformedRequests;
import io.jobyard.adapter.http.MalformedRequests.Request;
import io.jobyard.adapter.http.RawHttp;
import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, section 4: over-long and odd strings (NUL, unpaired surrogates, right-to-left overrides, 4-byte emoji,
 * strings of every length around the stored limits and far beyond) in every text parameter of every write endpoint,
 * as a form or as JSON, against the standalone server on H2 and on PostgreSQL (which refuses what H2 stores: a NUL).
 * No answer may be a 5xx, and every refusal must be GitLab-shaped JSON.
 *
 * <p>Each try sends one request; the world keeps what the writes need at hand (a running job and its CI token, a
 * manual job to play, a runner token) and renews it when a try used it up. Tries per database: 300
 * ({@code jqwik.tries.default} in this module's {@code junit-platform.properties}); {@code -Djqwik.tries.default=N}
 * runs more.
 */
class OddInputPropertyTest {
    private static final String ADMIN_TOKEN = "odd-input-admin-token-0123456789";
    private static final String CI_CONFIG = "build: {stage: build, script: [make]}\n"
            + "deploy: {stage: deploy, script: [ship], when: manual}\n";

    private static World h2;
    private static World postgres;

    @Property
    void noOddStringIsAServerErrorOnH2(@ForAll("probes") Probe probe) {
        if (h2 == null) {
            h2 = World.start(null);
        }
        h2.check(probe);
    }

    @Property
    void noOddStringIsAServerErrorOnPostgres(@ForAll("probes") Probe probe) {
        if (postgres == null) {
            postgres = World.start(EmbeddedPostgresHolder.start());
        }
        postgres.check(probe);
    }

    @AfterContainer
    static void stopServers() {
        for (World world : new World[]{h2, postgres}) {
            if (world != null) {
                System.out.printf("odd input: %s, %d requests, statuses %s%n", world == h2 ? "H2" : "PostgreSQL",
                        world.statuses.values().stream().mapToInt(AtomicInteger::get).sum(),
                        new java.util.TreeMap<>(world.statuses));
                world.close();
            }
        }
        h2 = null;
        postgres = null;
        EmbeddedPostgresHolder.stop();
    }

    /** One write endpoint, the parameter the odd value goes into, and how the body is encoded. */
    record Probe(Target target, String value, boolean json) {
        @Override
        public String toString() {
            String shown = value.length() > 80 ? value.substring(0, 80) + "…(" + value.length() + ")" : value;
            return target + (json ? " as JSON" : " as a form") + " with " + escape(shown);
        }
    }

    @Provide
    Arbitrary<Probe> probes() {
        return Combinators.combine(Arbitraries.of(Target.values()), oddStrings(), Arbitraries.of(true, false))
                .as(Probe::new);
    }

    /** Pieces of trouble, lengths around and far beyond the limits, and arbitrary Unicode. */
    static Arbitrary<String> oddStrings() {
        Arbitrary<String> piece = Arbitraries.of("\u0000", "\uD800", "\uDC00", "\u202E", "\uD83D\uDE00", "\u200B",
                "\uFEFF", "x", "\u00e9", "\r\n", "'", "\"", "\\", "%", "../", "glcbt-", "${CI_JOB_TOKEN}", "<b>",
                "\u0301", ":", "- ", "{", "[", "#", "&", "=", "+", " ");
        Arbitrary<String> repeated = Combinators.combine(piece, Arbitraries.of(1, 2, 7, 128, 255, 256, 1024, 1025,
                2048, 2049, 3000, 5000, 70_000)).as(String::repeat);
        Arbitrary<String> mixed = piece.list().ofMinSize(1).ofMaxSize(40).map(pieces -> String.join("", pieces));
        Arbitrary<String> overLong = Arbitraries.of(256, 1025, 2049, 3000, 5000, 300_000)
                .map(n -> "a".repeat(n - 1) + "\uD83D\uDE00");
        Arbitrary<String> unicode = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(300);
        return Arbitraries.frequencyOf(
                Tuple.of(3, repeated), Tuple.of(3, mixed),
                Tuple.of(2, overLong), Tuple.of(2, unicode));
    }

    /** The write endpoints and the text parameters they store or act on. */
    enum Target {
        USER_USERNAME, USER_NAME, USER_EMAIL,
        TOKEN_NAME, TOKEN_EXPIRES_AT, TOKEN_SCOPE,
        PROJECT_NAME, PROJECT_PATH, PROJECT_NAMESPACE, PROJECT_VISIBILITY,
        MEMBER_USER_ID, MEMBER_ACCESS_LEVEL,
        PIPELINE_REF, PIPELINE_SHA, PIPELINE_TITLE, PIPELINE_MESSAGE, PIPELINE_AUTHOR_NAME, PIPELINE_AUTHOR_EMAIL,
        PIPELINE_VARIABLE_KEY, PIPELINE_VARIABLE_VALUE,
        CONFIG_STAGE, CONFIG_IMAGE, CONFIG_TAG, CONFIG_SCRIPT, CONFIG_JOB_NAME, CONFIG_VARIABLE, CONFIG_RAW,
        STORED_CONFIG,
        PLAY_VARIABLE_KEY, PLAY_VARIABLE_VALUE, CANCEL_FORCE, RETRY, ERASE, KEEP_ARTIFACTS, PIPELINE_RETRY,
        RUNNER_DESCRIPTION, RUNNER_TAG, RUNNER_TYPE, RUNNER_VERIFY, JOB_REQUEST_INFO, JOB_REQUEST_SYSTEM_ID,
        JOB_STATE, JOB_FAILURE_REASON, JOB_EXIT_CODE, TRACE_BODY, ARTIFACT_FILENAME, ARTIFACT_EXPIRE_IN
    }

    /** The standalone server, its database, and the state the writes need. */
    static final class World implements AutoCloseable {
        private final Standalone server;
        private final Path dataDir;
        private final Api api;
        private final int port;
        private final AtomicInteger sequence = new AtomicInteger();
        private final Map<Integer, AtomicInteger> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        private long project;
        private long userId;
        private String runnerToken;
        private long runningJob;
        private String runningToken;
        private long traceLength;
        private long manualJob;
        private long pipeline;

        private World(Standalone server, Path dataDir) {
            this.server = server;
            this.dataDir = dataDir;
            this.port = server.port();
            this.api = new Api("http://127.0.0.1:" + port, ADMIN_TOKEN);
        }

        static World start(EmbeddedPostgres database) {
            try {
                Path dataDir = Files.createTempDirectory("jobyard-odd-input");
                Map<String, String> settings = new LinkedHashMap<>(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND",
                        "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN,
                        "JOBYARD_LOG_LEVEL", "WARN"));
                if (database != null) {
                    settings.put("JOBYARD_DB_URL", database.getJdbcUrl("postgres", "postgres"));
                    settings.put("JOBYARD_DB_USER", "postgres");
                    settings.put("JOBYARD_DB_PASSWORD", "postgres");
                }
                World world = new World(Standalone.start(Configuration.from(settings)), dataDir);
                world.setUp();
                return world;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private void setUp() throws IOException, InterruptedException {
            project = api.createProject("acme", "app");
            userId = api.adminExpect("POST", "/users", "username=dev&name=Dev&email=dev@example.com", 201)
                    .get("id").asLong();
            runnerToken = api.createRunner();
            renewJobs();
        }

        /** A fresh pipeline: its build job taken by the runner (running), its deploy job manual. */
        private void renewJobs() throws IOException, InterruptedException {
            List<Long> jobs = api.createPipeline(project, CI_CONFIG, 1_000_000 + sequence.incrementAndGet());
            long build = 0;
            for (long id : jobs) {
                JsonNode job = api.adminExpect("GET", "/projects/" + project + "/jobs/" + id, null, 200);
                pipeline = job.get("pipeline").get("id").asLong();
                if (job.get("name").asText().equals("build")) {
                    build = id;
                } else {
                    manualJob = id;
                }
            }
            Api.Reply taken = api.requestJob(runnerToken);
            while (taken.status() == 201 && taken.json().get("id").asLong() != build) {
                api.updateJob(taken.json().get("id").asLong(), taken.json().get("token").asText(), "success");
                taken = api.requestJob(runnerToken);
            }
            assertThat(taken.status()).as("the build job for the runner-side writes").isEqualTo(201);
            runningJob = taken.json().get("id").asLong();
            runningToken = taken.json().get("token").asText();
            traceLength = 0;
        }

        synchronized void check(Probe probe) {
            Request request = request(probe.target(), probe.value(), probe.json());
            Response response = RawHttp.send(port, request.method(), request.target(), request.headers(),
                    request.body());
            statuses.computeIfAbsent(response.status(), any -> new AtomicInteger()).incrementAndGet();
            assertThat(response.status()).as(probe + " → " + response).isLessThan(500);
            boolean bareStateRefusal = request.method().equals("PUT") && response.status() == 400
                    && response.text().equals("400");
            Optional<String> problem = bareStateRefusal ? Optional.empty()
                    : MalformedRequests.problem(request, response);
            assertThat(problem).as(probe.toString()).isEmpty();
            afterwards(probe.target(), response);
        }

        /** Renews what a try used up: the running job (finished, dropped) or the manual one (played). */
        private void afterwards(Target target, Response response) {
            try {
                if (target == Target.TRACE_BODY && response.status() == 202) {
                    String range = response.header("Range");
                    traceLength = Long.parseLong(range.substring(range.indexOf('-') + 1)) + 1;
                }
                boolean runnerSide = target.name().startsWith("JOB_STATE") || target.name().startsWith("JOB_FAIL")
                        || target.name().startsWith("JOB_EXIT") || target.name().startsWith("TRACE")
                        || target.name().startsWith("ARTIFACT") || target.name().startsWith("PLAY")
                        || target == Target.CANCEL_FORCE || target == Target.ERASE || target == Target.RETRY;
                if (runnerSide) {
                    Api.Reply job = api.admin("GET", "/projects/" + project + "/jobs/" + runningJob, null);
                    Api.Reply manual = api.admin("GET", "/projects/" + project + "/jobs/" + manualJob, null);
                    if (!"running".equals(job.json().get("status").asText())
                            || !"manual".equals(manual.json().get("status").asText())) {
                        renewJobs();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private Request request(Target target, String odd, boolean json) {
            String projects = "/api/v4/projects/" + project;
            String unique = "u" + sequence.incrementAndGet();
            String sha = String.format("%040x", sequence.get());
            Map<String, Object> params = new LinkedHashMap<>();
            String method = "POST";
            String path;
            switch (target) {
                case USER_USERNAME, USER_NAME, USER_EMAIL -> {
                    path = "/api/v4/users";
                    params.put("username", target == Target.USER_USERNAME ? odd : unique);
                    params.put("name", target == Target.USER_NAME ? odd : "User");
                    params.put("email", target == Target.USER_EMAIL ? odd : unique + "@example.com");
                }
                case TOKEN_NAME, TOKEN_EXPIRES_AT, TOKEN_SCOPE -> {
                    path = "/api/v4/users/" + userId + "/personal_access_tokens";
                    params.put("name", target == Target.TOKEN_NAME ? odd : "token");
                    params.put("scopes", List.of(target == Target.TOKEN_SCOPE ? odd : "api"));
                    if (target == Target.TOKEN_EXPIRES_AT) {
                        params.put("expires_at", odd);
                    }
                }
                case PROJECT_NAME, PROJECT_PATH, PROJECT_NAMESPACE, PROJECT_VISIBILITY -> {
                    path = "/api/v4/projects";
                    params.put("name", target == Target.PROJECT_NAME ? odd : unique);
                    if (target == Target.PROJECT_PATH) {
                        params.put("path", odd);
                    }
                    params.put("namespace_path", target == Target.PROJECT_NAMESPACE ? odd : "acme");
                    if (target == Target.PROJECT_VISIBILITY) {
                        params.put("visibility", odd);
                    }
                }
                case MEMBER_USER_ID, MEMBER_ACCESS_LEVEL -> {
                    path = projects + "/members";
                    params.put("user_id", target == Target.MEMBER_USER_ID ? odd : Long.toString(userId));
                    params.put("access_level", target == Target.MEMBER_ACCESS_LEVEL ? odd : "30");
                }
                case PIPELINE_REF, PIPELINE_SHA, PIPELINE_TITLE, PIPELINE_MESSAGE, PIPELINE_AUTHOR_NAME,
                     PIPELINE_AUTHOR_EMAIL, PIPELINE_VARIABLE_KEY, PIPELINE_VARIABLE_VALUE, CONFIG_STAGE,
                     CONFIG_IMAGE, CONFIG_TAG, CONFIG_SCRIPT, CONFIG_JOB_NAME, CONFIG_VARIABLE, CONFIG_RAW -> {
                    path = projects + "/pipeline";
                    params.put("ref", target == Target.PIPELINE_REF ? odd : "main");
                    params.put("sha", target == Target.PIPELINE_SHA ? odd : sha);
                    params.put("title", target == Target.PIPELINE_TITLE ? odd : "title");
                    params.put("message", target == Target.PIPELINE_MESSAGE ? odd : "message");
                    params.put("author_name", target == Target.PIPELINE_AUTHOR_NAME ? odd : "Dev");
                    params.put("author_email", target == Target.PIPELINE_AUTHOR_EMAIL ? odd : "dev@example.com");
                    params.put("variables", List.of(Map.of(
                            "key", target == Target.PIPELINE_VARIABLE_KEY ? odd : "DEPLOY_TO",
                            "value", target == Target.PIPELINE_VARIABLE_VALUE ? odd : "staging")));
                    params.put("ci_config", config(target, odd));
                }
                case STORED_CONFIG -> {
                    method = "PUT";
                    path = projects + "/ci_config";
                    params.put("content", config(Target.values()[sequence.get() % 7 + Target.CONFIG_STAGE.ordinal()],
                            odd));
                }
                case PLAY_VARIABLE_KEY, PLAY_VARIABLE_VALUE -> {
                    path = projects + "/jobs/" + manualJob + "/play";
                    params.put("job_variables_attributes", List.of(Map.of(
                            "key", target == Target.PLAY_VARIABLE_KEY ? odd : "TARGET",
                            "value", target == Target.PLAY_VARIABLE_VALUE ? odd : "prod")));
                }
                case CANCEL_FORCE -> {
                    path = projects + "/jobs/" + runningJob + "/cancel";
                    params.put("force", odd);
                }
                case RETRY, ERASE -> {
                    path = projects + "/jobs/" + runningJob + (target == Target.RETRY ? "/retry" : "/erase");
                    params.put("odd", odd);
                }
                case KEEP_ARTIFACTS -> {
                    path = projects + "/jobs/" + runningJob + "/artifacts/keep";
                    params.put("odd", odd);
                }
                case PIPELINE_RETRY -> {
                    path = projects + "/pipelines/" + pipeline + "/retry";
                    params.put("odd", odd);
                }
                case RUNNER_DESCRIPTION, RUNNER_TAG, RUNNER_TYPE -> {
                    path = "/api/v4/user/runners";
                    params.put("runner_type", target == Target.RUNNER_TYPE ? odd : "project_type");
                    params.put("project_id", Long.toString(project));
                    params.put("description", target == Target.RUNNER_DESCRIPTION ? odd : "runner");
                    params.put("tag_list", List.of("docker", target == Target.RUNNER_TAG ? odd : "linux"));
                }
                case RUNNER_VERIFY -> {
                    path = "/api/v4/runners/verify";
                    params.put("token", runnerToken);
                    params.put("system_id", odd);
                }
                case JOB_REQUEST_INFO, JOB_REQUEST_SYSTEM_ID -> {
                    path = "/api/v4/jobs/request";
                    params.put("token", runnerToken);
                    params.put("system_id", target == Target.JOB_REQUEST_SYSTEM_ID ? odd : "s_0123456789ab");
                    params.put("info", Map.of("name", target == Target.JOB_REQUEST_INFO ? odd : "runner",
                            "version", "17.0.0"));
                    // a pending job would be taken: there is none (the next pipeline's build is renewed on use)
                }
                case JOB_STATE, JOB_FAILURE_REASON, JOB_EXIT_CODE -> {
                    method = "PUT";
                    path = "/api/v4/jobs/" + runningJob;
                    params.put("token", runningToken);
                    params.put("state", target == Target.JOB_STATE ? odd
                            : target == Target.JOB_FAILURE_REASON ? "failed" : "running");
                    if (target == Target.JOB_FAILURE_REASON) {
                        params.put("failure_reason", odd);
                    }
                    if (target == Target.JOB_EXIT_CODE) {
                        params.put("exit_code", odd);
                    }
                }
                case TRACE_BODY -> {
                    byte[] bytes = odd.getBytes(StandardCharsets.UTF_8);
                    return new Request("PATCH", "/api/v4/jobs/" + runningJob + "/trace", Map.of("JOB-TOKEN",
                            runningToken, "Content-Range", traceLength + "-" + (traceLength + bytes.length - 1)),
                            bytes);
                }
                case ARTIFACT_FILENAME, ARTIFACT_EXPIRE_IN -> {
                    return artifactUpload(target == Target.ARTIFACT_FILENAME ? odd : "artifacts.zip",
                            target == Target.ARTIFACT_EXPIRE_IN ? odd : "1 day");
                }
                default -> throw new IllegalStateException(target.name());
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("PRIVATE-TOKEN", ADMIN_TOKEN);
            headers.put("Content-Type", json ? "application/json" : "application/x-www-form-urlencoded");
            byte[] body = (json ? JsonText.of(params) : FormText.of(params)).getBytes(StandardCharsets.ISO_8859_1);
            return new Request(method, path, headers, body);
        }

        /** A configuration with the odd value where {@code target} says, valid otherwise. */
        private static String config(Target target, String odd) {
            String quoted = JsonText.quote(odd); // a JSON string is a YAML double-quoted scalar, escapes and all
            return switch (target) {
                case CONFIG_STAGE -> "stages: [" + quoted + "]\nbuild: {stage: " + quoted + ", script: [make]}\n";
                case CONFIG_IMAGE -> "build: {image: " + quoted + ", script: [make]}\n";
                case CONFIG_TAG -> "build: {tags: [" + quoted + "], script: [make]}\n";
                case CONFIG_SCRIPT -> "build: {script: [" + quoted + "]}\n";
                case CONFIG_JOB_NAME -> quoted + ": {script: [make]}\n";
                case CONFIG_VARIABLE -> "variables: {" + quoted + ": " + quoted + "}\nbuild: {script: [make]}\n";
                case CONFIG_RAW -> odd;
                default -> CI_CONFIG;
            };
        }

        private Request artifactUpload(String filename, String expireIn) {
            String boundary = "odd-input-boundary";
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"expire_in\"\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(expireIn.getBytes(StandardCharsets.UTF_8));
            body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(filename.replace("\"", "%22").replace("\r", "").replace("\n", "")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(("\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(Api.zip(new java.util.Random(sequence.get()), 64));
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return new Request("POST", "/api/v4/jobs/" + runningJob + "/artifacts", Map.of("JOB-TOKEN", runningToken,
                    "Content-Type", "multipart/form-data; boundary=" + boundary), body.toByteArray());
        }

        @Override
        public void close() {
            server.close();
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                // a temporary directory; the system cleans it eventually
            }
        }
    }

    /** Form encoding that keeps what a string holds: UTF-8, and an unpaired surrogate as its CESU-8 bytes. */
    static final class FormText {
        static String of(Map<String, Object> params) {
            List<String> pairs = new ArrayList<>();
            params.forEach((name, value) -> add(pairs, name, value));
            return String.join("&", pairs);
        }

        private static void add(List<String> pairs, String name, Object value) {
            if (value instanceof List<?> list) {
                for (Object item : list) {
                    add(pairs, name + "[]", item);
                }
            } else if (value instanceof Map<?, ?> map) {
                map.forEach((key, item) -> add(pairs, name + "[" + key + "]", item));
            } else {
                pairs.add(encode(name) + "=" + encode((String) value));
            }
        }

        static String encode(String text) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x80 && (Character.isLetterOrDigit(c) || "-_.~".indexOf(c) >= 0)) {
                    out.append(c);
                    continue;
                }
                String unit;
                if (Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    unit = text.substring(i, i + 2);
                    i++;
                } else {
                    unit = String.valueOf(c);
                }
                byte[] bytes = Character.isSurrogate(unit.charAt(0)) && unit.length() == 1
                        ? new byte[]{(byte) (0xE0 | (c >> 12)), (byte) (0x80 | ((c >> 6) & 0x3F)),
                        (byte) (0x80 | (c & 0x3F))}
                        : unit.getBytes(StandardCharsets.UTF_8);
                for (byte b : bytes) {
                    out.append('%').append(String.format("%02X", b & 0xFF));
                }
            }
            return out.toString();
        }
    }

    /** JSON with every non-ASCII character escaped, so an unpaired surrogate arrives as {@code \ud800}. */
    static final class JsonText {
        static String of(Object value) {
            if (value instanceof Map<?, ?> map) {
                List<String> members = new ArrayList<>();
                map.forEach((key, item) -> members.add(quote((String) key) + ":" + of(item)));
                return "{" + String.join(",", members) + "}";
            }
            if (value instanceof List<?> list) {
                return "[" + String.join(",", list.stream().map(JsonText::of).toList()) + "]";
            }
            return quote((String) value);
        }

        static String quote(String text) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || c >= 0x7F) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }
    }

    static String escape(String text) {
        return JsonText.quote(text);
    }

    /** One embedded PostgreSQL for the class. */
    static final class EmbeddedPostgresHolder {
        private static EmbeddedPostgres instance;

        static synchronized EmbeddedPostgres start() {
            if (instance == null) {
                try {
                    instance = EmbeddedPostgres.builder().start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return instance;
        }

        static synchronized void stop() {
            if (instance != null) {
                try {
                    instance.close();
                } catch (IOException e) {
                    // the test is over
                }
                instance = null;
            }
        }
    }
}
