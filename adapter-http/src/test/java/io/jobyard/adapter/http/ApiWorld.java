package io.jobyard.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.application.Services;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryArchiveIndexRepository;
import io.jobyard.application.memory.InMemoryArtifactStore;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.application.port.in.auth.AccessChecks;
import io.jobyard.application.port.out.AccessVersions;
import io.jobyard.application.memory.InMemoryTraceStore;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase.UploadArtifactCommand;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.PathHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A running server for HTTP tests: the real services over the in-memory ports, the API mounted under
 * {@code /api/v4} of an Undertow on an ephemeral port with {@code DECODE_URL=false}, and a cast — one user per role
 * with a personal access token ({@code pat-<username>}), a read-only token, and two projects (private; public with
 * public pipelines) holding the same jobs: a successful {@code build} with an archive and a log on {@code main}, the same
 * on {@code feature/login}, a failed {@code test}, a manual {@code deploy}, and a running {@code run} whose CI token is
 * {@code jt-<project path>}.
 */
public final class ApiWorld implements AutoCloseable {
    public static final Instant NOW = TestData.T0.plus(Duration.ofDays(1));
    public static final String PREFIX = "/api/v4";
    public static final String REPORT = "line one\nline two\n";
    public static final byte[] BINARY = binary(300_000);
    public static final String LOG = "Running with gitlab-runner\n$ make\nok\n";
    private static final byte[] ZIP = buildZip();

    public final SettableClock clock = new SettableClock(NOW);
    public final InMemoryPorts ports = new InMemoryPorts(clock);
    public final Repositories repos = ports.repos;
    public final TestData data = new TestData(repos);
    public final InMemoryArtifactStore store = (InMemoryArtifactStore) ports.artifactStore;
    public final InMemoryTraceStore traces = (InMemoryTraceStore) ports.traceStore;
    public final InMemoryArchiveIndexRepository index = ports.archiveIndexStore;
    /** How often the access version was read (a counter wrapped around the ports' versions before wiring). */
    public final AtomicInteger accessVersionReads = countAccessVersionReads(ports);
    /** The real services over the in-memory ports. */
    public final Services services = ports.wire(Services.Settings.defaults(URI.create("https://ci.example.com"))
            .withChangeFeedDelay(Duration.ZERO));

    public final User admin = data.admin("root");
    public final User maintainer = data.user("max");
    public final User developer = data.user("dev");
    public final User reporter = data.user("rita");
    public final User guest = data.user("gus");
    public final User outsider = data.user("otto");

    public final ProjectJobs privateProject;
    public final ProjectJobs publicProject;

    /** The real services over the in-memory ports, for tests that mount the API themselves. */
    public final JobsApi.JobUseCases useCases;
    public final AuthenticateUseCase authenticate;
    private final boolean bracketRequests;
    private final Undertow server;
    public final int port;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    /** One project's jobs. */
    public record ProjectJobs(Project project, Pipeline main, Job build, Job test, Job deploy, Job running,
                              String jobToken, Pipeline feature, Job featureBuild) {
    }

    public ApiWorld() {
        this(true);
    }

    /** @param bracketRequests whether the API brackets requests for the access checks (as the server does) */
    public ApiWorld(boolean bracketRequests) {
        this.bracketRequests = bracketRequests;
        for (User user : List.of(admin, maintainer, developer, reporter, guest, outsider)) {
            token(user, "pat-" + user.username(), Set.of(TokenScope.API));
        }
        token(developer, "ro-dev", Set.of(TokenScope.READ_API));

        useCases = new JobsApi.JobUseCases(services.listJobs(), services.getJob(), services.readTrace(),
                services.jobActions(), services.artifacts());
        authenticate = services.authenticate();

        privateProject = jobsIn(project("app", Visibility.PRIVATE, false));
        publicProject = jobsIn(project("site", Visibility.PUBLIC, true));

        PathHandler root = Handlers.path();
        server = Undertow.builder()
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(root)
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        root.addPrefixPath("/", api(HttpSettings.of(URI.create(base()))).handler());
    }

    /** The Jobs API's routes over this world's services. */
    public JobsApi api(HttpSettings settings) {
        return JobsApi.builder(settings, clock, authenticate).jobs(useCases)
                .accessChecks(bracketRequests ? services.accessChecks() : AccessChecks.EVERY_TIME).build();
    }

    private static AtomicInteger countAccessVersionReads(InMemoryPorts ports) {
        AtomicInteger reads = new AtomicInteger();
        AccessVersions versions = ports.accessVersions;
        ports.accessVersions = () -> {
            reads.incrementAndGet();
            return versions.current();
        };
        return reads;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public ProjectJobs project(boolean isPublic) {
        return isPublic ? publicProject : privateProject;
    }

    private void token(User user, String secret, Set<TokenScope> scopes) {
        repos.users().insertToken(data.tokenRecord(user, TestData.digest(secret), scopes, null, false));
    }

    private Project project(String path, Visibility visibility, boolean publicBuilds) {
        Project project = data.project("acme", path, visibility, publicBuilds);
        data.member(project, maintainer, Role.MAINTAINER);
        data.member(project, developer, Role.DEVELOPER);
        data.member(project, reporter, Role.REPORTER);
        data.member(project, guest, Role.GUEST);
        return project;
    }

    private ProjectJobs jobsIn(Project project) {
        Pipeline main = data.pipeline(project, "main", JobStatus.SUCCESS);
        Job build = withArchive(finished(main, "build", JobStatus.SUCCESS, "build"));
        log(build, LOG);
        Job test = finished(main, "test", JobStatus.FAILED, "test");
        Job deploy = data.insert(data.jobBuilder(main, "deploy")
                .spec(JobSpec.simple("deploy", "deploy", 2).withWhen(WhenCondition.MANUAL, null))
                .status(JobStatus.MANUAL).userId(developer.id()).createdAt(NOW.minusSeconds(500))
                .updatedAt(NOW.minusSeconds(500)));
        String jobToken = "jt-" + project.path();
        Job running = data.insert(TestData.withTimesOf(data.jobBuilder(main, "run"), JobStatus.RUNNING)
                .userId(developer.id()).tokenDigest(TestData.digest(jobToken))
                .createdAt(NOW.minusSeconds(400)).updatedAt(NOW.minusSeconds(10)));
        Pipeline feature = data.pipeline(project, "feature/login", JobStatus.SUCCESS);
        Job featureBuild = withArchive(finished(feature, "build", JobStatus.SUCCESS, "build"));
        return new ProjectJobs(project, main, reload(build), test, deploy, running, jobToken, feature,
                reload(featureBuild));
    }

    private Job finished(Pipeline pipeline, String name, JobStatus status, String stage) {
        return data.insert(TestData.withTimesOf(data.jobBuilder(pipeline, name), status)
                .spec(JobSpec.simple(name, stage, 1)).userId(developer.id())
                .createdAt(NOW.minusSeconds(600)).updatedAt(NOW.minusSeconds(60)));
    }

    /**
     * Uploads a zip through the upload service, so the archive is stored and indexed as in production: as the runner
     * would, while the job runs, then the job is put back as it was.
     */
    private Job withArchive(Job job) {
        String token = "upload-token-of-job-" + job.id().value();
        Job running = repos.jobs().update(job.toBuilder().status(JobStatus.RUNNING).startedAt(clock.instant())
                .tokenDigest(TestData.digest(token)).build());
        services.uploadArtifact().upload(new UploadArtifactCommand(job.id(), token, ArtifactFileType.ARCHIVE,
                ArtifactFormat.ZIP, "1 week", ArtifactAccessibility.PUBLIC, "artifacts.zip",
                new ByteArrayInputStream(zip()), UploadArtifactCommand.UNKNOWN_SIZE));
        return repos.jobs().update(reload(running).toBuilder().status(job.status()).startedAt(job.startedAt())
                .tokenDigest(job.tokenDigest()).build());
    }

    private void log(Job job, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        traces.append(job.id(), 0, new ByteArrayInputStream(bytes), 1 << 20);
    }

    public Job reload(Job job) {
        return repos.jobs().findById(job.id()).orElseThrow();
    }


    /** The archive every build uploads: deflated and stored entries, markup, an SVG, a non-ASCII name, a script. */
    static byte[] zip() {
        return ZIP.clone();
    }

    private static byte[] buildZip() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                ZipEntry directory = new ZipEntry("out/");
                directory.setTime(TestData.T0.toEpochMilli());
                zip.putNextEntry(directory);
                zip.closeEntry();
                entry(zip, "out/report.txt", REPORT.getBytes(StandardCharsets.UTF_8), true);
                entry(zip, "out/data.bin", BINARY, false);
                entry(zip, "index.html", "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8),
                        true);
                entry(zip, "logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>"
                        .getBytes(StandardCharsets.UTF_8), false);
                entry(zip, "dir/résumé v1.txt", "accents".getBytes(StandardCharsets.UTF_8), true);
                entry(zip, "a+b.txt", "plus".getBytes(StandardCharsets.UTF_8), true);
                entry(zip, "build.sh", "#!/bin/sh\nmake\n".getBytes(StandardCharsets.UTF_8), true);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] content, boolean deflate) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(TestData.T0.toEpochMilli());
        if (!deflate) {
            CRC32 crc = new CRC32();
            crc.update(content);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(content.length);
            entry.setCompressedSize(content.length);
            entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private static byte[] binary(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 8));
        }
        return bytes;
    }

    // ------------------------------------------------------------------------------------------------- requests

    /** A request through java.net.http (which refuses malformed URIs; see {@link RawHttp} for those). */
    public Response send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + PREFIX + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> responseHeaders.put(name.toLowerCase(), values.get(0)));
            return new Response(response.statusCode(), responseHeaders, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path, String token) {
        return send("GET", path, token == null ? Map.of() : Map.of("PRIVATE-TOKEN", token), null);
    }

    public Response as(String method, String path, String token) {
        return send(method, path, token == null ? Map.of() : Map.of("PRIVATE-TOKEN", token), null);
    }

    /** A response with lowercase header names. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return Json.tree(body);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length > 500 ? body.length + " bytes" : text());
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /** A clock tests move by hand. */
    public static final class SettableClock extends Clock {
        private final AtomicReference<Instant> now;

        SettableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        public void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
