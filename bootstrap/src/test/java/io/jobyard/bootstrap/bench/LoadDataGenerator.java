package io.jobyard.bootstrap.bench;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.admin.ProjectsUseCase.NewProject;
import io.jobyard.application.port.in.admin.UsersUseCase.NewUser;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase.CreatePipelineCommand;
import io.jobyard.application.port.in.runner.AppendTraceUseCase.AppendTraceCommand;
import io.jobyard.application.port.in.runner.RequestJobUseCase.Assigned;
import io.jobyard.application.port.in.runner.RequestJobUseCase.JobRequest;
import io.jobyard.application.port.in.runner.RequestJobUseCase.JobRequestResult;
import io.jobyard.application.port.in.runner.RunnersUseCase.NewRunner;
import io.jobyard.application.port.in.runner.UpdateJobUseCase.UpdateJobCommand;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase.UploadArtifactCommand;
import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.Standalone;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Fills one project for issue 8's HTTP load benchmark through the real use cases, in process, on the database and
 * storage the standalone jar then opens (by default the H2 file database and filesystem storage of a data directory). Every job goes the way production
 * takes it: created by a pipeline, taken by a runner through {@code requestJob}, given a log and an artifact on a
 * fraction of jobs, finished through {@code updateJob}, which processes the next stage.
 *
 * <p>Each pipeline has {@code jobs / pipelines} jobs in four stages (build 3, test the rest, deploy 1, a manual
 * {@code release} that stays manual); 3 % of the jobs fail, which skips their pipeline's later stages. The newest 1 %
 * of the pipelines are left waiting (pending and created jobs) and 20 of their jobs running. Then one pipeline holds
 * the large files the benchmark reads: a job with a 1 MiB log and a job with a 100 MiB / 1,000-entry archive.
 *
 * <p>Arguments ({@code key=value}): {@code data} (the data directory; must be new), {@code jobs=1000000},
 * {@code pipelines=50000}, {@code threads=4} (runners working at once), {@code logs=0.1} and {@code artifacts=0.02}
 * (fractions of jobs), {@code out} (a shell file of the ids and the token the load script needs). The admin token comes
 * from {@code JOBYARD_ADMIN_TOKEN}; other {@code JOBYARD_*} variables (database URL, S3 storage) are passed on to the
 * standalone configuration, see {@link #environment}.
 */
public final class LoadDataGenerator {
    private static final int MIB = 1 << 20;
    private static final String SHA = "4f1b2c3d4e5f60718293a4b5c6d7e8f901234567";
    static final String PROBE = "reports/junit-probe.xml";

    private final Jobyard.UseCases ci;
    private final Actor admin;
    private final String runnerToken;
    private final byte[] smallZip;
    private final double logFraction;
    private final double artifactFraction;
    private final AtomicLong finishedJobs = new AtomicLong();

    private LoadDataGenerator(Jobyard.UseCases ci, Actor admin, String runnerToken, double logFraction,
                              double artifactFraction) throws IOException {
        this.ci = ci;
        this.admin = admin;
        this.runnerToken = runnerToken;
        this.logFraction = logFraction;
        this.artifactFraction = artifactFraction;
        this.smallZip = smallZip();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = BenchArgs.parse(args);
        String adminToken = System.getenv("JOBYARD_ADMIN_TOKEN");
        Path data = Path.of(a.get("data"));
        int jobs = Integer.parseInt(a.getOrDefault("jobs", "1000000"));
        int pipelines = Integer.parseInt(a.getOrDefault("pipelines", "50000"));
        Configuration configuration = Configuration.from(environment(data, adminToken));
        System.out.println("generating into " + configuration.dbUrl() + ", storage " + configuration.storage());
        try (Standalone server = Standalone.start(configuration)) {
            Jobyard.UseCases ci = server.jobyard().useCases();
            Actor admin = ci.authenticate().byAccessToken(adminToken);
            String runnerToken = ci.runners().create(admin, NewRunner.instance("load generator", List.of())).token();
            LoadDataGenerator generator = new LoadDataGenerator(ci, admin, runnerToken,
                    Double.parseDouble(a.getOrDefault("logs", "0.1")),
                    Double.parseDouble(a.getOrDefault("artifacts", "0.02")));
            Map<String, String> targets = generator.fill(jobs, pipelines,
                    Integer.parseInt(a.getOrDefault("threads", "4")), data);
            StringBuilder out = new StringBuilder();
            targets.forEach((k, v) -> out.append(k).append("='").append(v).append("'\n"));
            Files.writeString(Path.of(a.get("out")), out);
            System.out.print(out);
        }
        // Closing the server closed the pool, and with its last connection H2 wrote everything it had delayed: the file
        // is complete and consistent before this process exits.
    }

    /**
     * The standalone settings the generator runs with: the caller's {@code JOBYARD_*} variables (a PostgreSQL URL, S3
     * storage), then what the generator needs. On the embedded H2 default it opens the same database file the server
     * will, but with a generation-only URL: without the server's {@code WRITE_DELAY=0}, H2 writes its commits in the
     * background every 500 ms instead of serializing a new chunk of the file in every one of the ~4 commits a job
     * takes; a crash would lose the last half second, which for generated data only means generating again. A larger
     * page cache (the default is 16 MiB for a database that grows past 1 GiB) and statement cache (the default 8 is
     * fewer than the ~30 distinct statements a job runs) save CPU, not durability.
     */
    static Map<String, String> environment(Path data, String adminToken) {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("JOBYARD_")) {
                env.put(k, v);
            }
        });
        env.put("JOBYARD_DATA_DIR", data.toString());
        env.put("JOBYARD_PORT", "0");
        env.put("JOBYARD_BIND", "127.0.0.1");
        env.put("JOBYARD_ADMIN_TOKEN", adminToken);
        env.put("JOBYARD_MAX_ARTIFACT_SIZE", "200m");
        env.put("JOBYARD_ARTIFACT_DEFAULT_EXPIRY", "never");
        env.put("JOBYARD_LOG_LEVEL", "WARN");
        env.putIfAbsent("JOBYARD_DB_URL", "jdbc:h2:file:" + data.toAbsolutePath().resolve("db/jobyard")
                + ";LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64;CACHE_SIZE=262144");
        return env;
    }

    private Map<String, String> fill(int jobCount, int pipelineCount, int threads, Path data) throws IOException {
        User reader = ci.users().createUser(admin, new NewUser("reader", "Reader", "reader@example.com", false));
        String readerToken = ci.accessTokens().createForUser(admin, reader.id(), "load", Set.of(TokenScope.READ_API),
                null).secret();
        Project project = ci.projects().createProject(admin,
                new NewProject("load", "load", "bench", Visibility.PRIVATE, false));
        ci.members().putMember(admin, ProjectRef.of(project.id()), reader.id(), Role.DEVELOPER);
        int perPipeline = Math.max(6, jobCount / pipelineCount);
        int waiting = Math.max(1, pipelineCount / 100);
        long start = System.nanoTime();
        // The first pipeline is created before the runners start: on PostgreSQL, concurrent first pipelines of a
        // project race to create its iid counter row and all but one fail with a 409 (a bug left for the pipeline
        // repository's owners); once the row exists, concurrent creation is fine.
        createPipeline(project, perPipeline, 0);
        AtomicInteger next = new AtomicInteger(1);
        AtomicLong firstJob = new AtomicLong(Long.MAX_VALUE);
        AtomicLong middleJob = new AtomicLong();
        AtomicLong middlePipeline = new AtomicLong();
        int running = pipelineCount - waiting;
        List<Thread> workers = new ArrayList<>();
        AtomicInteger creating = new AtomicInteger(threads);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(8 + t);
            Thread worker = new Thread(() -> {
                try {
                    try {
                        for (int p = next.getAndIncrement(); p < running && failures.isEmpty();
                             p = next.getAndIncrement()) {
                            Pipeline pipeline = createPipeline(project, perPipeline, p);
                            long[] range = runPipelines(random);
                            firstJob.accumulateAndGet(range[0], Math::min);
                            if (p == pipelineCount / 2) {
                                middleJob.set(range[0]);
                                middlePipeline.set(pipeline.id().value());
                            }
                        }
                    } finally {
                        creating.decrementAndGet();
                    }
                    // Later stages turn pending while other threads finish their jobs: keep every runner busy until
                    // the last thread has created its last pipeline and nothing is pending any more (or one failed:
                    // then the others stop too instead of waiting for it).
                    while (failures.isEmpty() && (runPipelines(random)[1] > 0 || creating.get() > 0)) {
                        Thread.sleep(5);
                    }
                } catch (RuntimeException | Error e) {
                    failures.add(e);
                    System.err.println(Thread.currentThread().getName() + " failed: " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "generator-" + t);
            worker.start();
            workers.add(worker);
        }
        Progress progress = new Progress(start, next, running);
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        progress.close();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a generator thread failed", failures.get(0));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.print();

        // The large files, in a pipeline of their own.
        Pipeline files = ci.createPipeline().create(admin, new CreatePipelineCommand(ProjectRef.of(project.id()),
                "main", false, Commit.ofSha(SHA, OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)),
                PipelineSource.PUSH, List.of("files"),
                List.of(JobSpec.simple("trace-1m", "files", 0), JobSpec.simple("archive-100m", "files", 0)),
                List.of()));
        Assigned traceJob = takeJobOf(files);
        Assigned archiveJob = takeJobOf(files);
        byte[] megabyteOfLog = "Step 42/97 : RUN make test -j2 ... ok\n".repeat(MIB / 38 + 1).substring(0, MIB)
                .getBytes(StandardCharsets.US_ASCII);
        ci.appendTrace().append(new AppendTraceCommand(JobId.of(traceJob.payload().id()), traceJob.payload().token(),
                0, new ByteArrayInputStream(megabyteOfLog)));
        Path zip = Files.createTempFile(data, "archive-100m", ".zip");
        try {
            ArtifactServingBench.writeZip(zip, 100L * MIB, 1000);
            try (InputStream content = Files.newInputStream(zip)) {
                ci.uploadArtifact().upload(new UploadArtifactCommand(JobId.of(archiveJob.payload().id()),
                        archiveJob.payload().token(), null, null, "never", null, null, content, Files.size(zip)));
            }
        } finally {
            Files.delete(zip);
        }
        for (Assigned job : List.of(traceJob, archiveJob)) {
            ci.updateJob().update(new UpdateJobCommand(JobId.of(job.payload().id()), job.payload().token(),
                    "success", null, 0));
        }
        // The newest pipelines wait for runners: pending and created jobs, and a few running ones.
        for (int p = pipelineCount - waiting; p < pipelineCount; p++) {
            createPipeline(project, perPipeline, p);
        }
        for (int i = 0; i < 20; i++) {
            if (!(ci.requestJob().request(new JobRequest(runnerToken, null, null, null)) instanceof Assigned)) {
                break;
            }
        }
        long deepJob = firstJob.get() + (archiveJob.payload().id() - firstJob.get()) / 20;

        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("LOAD_JOBS", Long.toString((long) pipelineCount * perPipeline + 2));
        targets.put("LOAD_PIPELINES", Long.toString(pipelineCount + 1L));
        targets.put("LOAD_FINISHED_JOBS", Long.toString(finishedJobs.get()));
        targets.put("LOAD_SECONDS", String.format("%.0f", seconds));
        targets.put("READER_TOKEN", readerToken);
        targets.put("PROJECT_ID", Long.toString(project.id().value()));
        targets.put("JOB_ID", Long.toString(middleJob.get()));
        targets.put("PIPELINE_ID", Long.toString(middlePipeline.get()));
        targets.put("DEEP_CURSOR", Base64.getUrlEncoder().encodeToString(("{\"id\":\"" + deepJob + "\",\"_kd\":\"n\"}")
                .getBytes(StandardCharsets.UTF_8)));
        targets.put("TRACE_JOB_ID", Long.toString(traceJob.payload().id()));
        targets.put("ARCHIVE_JOB_ID", Long.toString(archiveJob.payload().id()));
        targets.put("ARTIFACT_PATH", PROBE);
        return targets;
    }

    /**
     * Prints the generator's progress every 10 s: jobs run, their rate over the last interval and overall, and the
     * process's CPU time per job, which (unlike the rate) does not depend on how busy the shared machine is.
     */
    private final class Progress implements AutoCloseable {
        private static final long INTERVAL_MILLIS = 10_000;
        private final long start;
        private final AtomicInteger pipelines;
        private final int pipelineCount;
        private final Thread printer;
        private long lastNanos;
        private long lastJobs;
        private double lastCpuMillis;

        Progress(long start, AtomicInteger pipelines, int pipelineCount) {
            this.start = start;
            this.pipelines = pipelines;
            this.pipelineCount = pipelineCount;
            this.lastNanos = start;
            this.printer = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(INTERVAL_MILLIS);
                        print();
                    }
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            }, "generator-progress");
            printer.setDaemon(true);
            printer.start();
        }

        synchronized void print() {
            long now = System.nanoTime();
            long jobs = finishedJobs.get();
            double seconds = (now - start) / 1e9;
            double recent = (jobs - lastJobs) / Math.max(1e-9, (now - lastNanos) / 1e9);
            double cpuMillis = ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
            System.out.printf("%6.0f s  %d/%d pipelines created, %d jobs run: %.0f jobs/s now, %.0f overall;"
                            + " %.2f CPU ms/job now; load average %s%n", seconds,
                    Math.min(pipelines.get(), pipelineCount), pipelineCount, jobs, recent, jobs / seconds,
                    (cpuMillis - lastCpuMillis) / Math.max(1, jobs - lastJobs), loadAverage());
            lastNanos = now;
            lastJobs = jobs;
            lastCpuMillis = cpuMillis;
        }

        @Override
        public void close() {
            printer.interrupt();
        }

        private static String loadAverage() {
            try {
                String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
                return fields[0] + " " + fields[1] + " " + fields[2];
            } catch (IOException | RuntimeException e) {
                return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
    }

    private Pipeline createPipeline(Project project, int jobs, int n) {
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            specs.add(JobSpec.simple("compile-" + i, "build", 0));
        }
        for (int i = 0; i < jobs - 5; i++) {
            specs.add(JobSpec.simple("test " + (i + 1) + "/" + (jobs - 5), "test", 1));
        }
        specs.add(JobSpec.simple("deploy", "deploy", 2));
        specs.add(JobSpec.simple("release", "deploy", 2).withWhen(WhenCondition.MANUAL, null).withAllowFailure(true));
        String ref = n % 5 == 0 ? "feature/" + (n / 5 % 200) : "main";
        return ci.createPipeline().create(admin, new CreatePipelineCommand(ProjectRef.of(project.id()), ref, false,
                Commit.ofSha(String.format("%040x", n + 1L), OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0,
                        ZoneOffset.UTC)), PipelineSource.PUSH, List.of("build", "test", "deploy"), specs, List.of()));
    }

    /**
     * Runs every job the runner is given until none is pending (with several threads, also jobs of the other threads'
     * pipelines); returns the lowest and highest job id it ran.
     */
    private long[] runPipelines(Random random) {
        long low = Long.MAX_VALUE;
        long high = 0;
        while (true) {
            JobRequestResult result = ci.requestJob().request(new JobRequest(runnerToken, null, null, null));
            if (!(result instanceof Assigned assigned)) {
                return new long[] {low, high};
            }
            long id = assigned.payload().id();
            low = Math.min(low, id);
            high = Math.max(high, id);
            finish(assigned, random);
        }
    }

    private void finish(Assigned assigned, Random random) {
        JobId id = JobId.of(assigned.payload().id());
        String token = assigned.payload().token();
        if (random.nextDouble() < logFraction) {
            byte[] log = ("$ make test\n" + "ok io.jobyard.Test" + id.value() + " 0.42s\n".repeat(64))
                    .getBytes(StandardCharsets.UTF_8);
            ci.appendTrace().append(new AppendTraceCommand(id, token, 0, new ByteArrayInputStream(log)));
        }
        if (random.nextDouble() < artifactFraction) {
            ci.uploadArtifact().upload(UploadArtifactCommand.archive(id, token, new ByteArrayInputStream(smallZip)));
        }
        boolean fails = random.nextDouble() < 0.03;
        ci.updateJob().update(new UpdateJobCommand(id, token, fails ? "failed" : "success",
                fails ? "script_failure" : null, fails ? 1 : 0));
        finishedJobs.incrementAndGet();
    }

    private Assigned takeJobOf(Pipeline pipeline) {
        JobRequestResult result = ci.requestJob().request(new JobRequest(runnerToken, null, null, null));
        if (!(result instanceof Assigned assigned)) {
            throw new IllegalStateException("no job pending for pipeline " + pipeline.id());
        }
        return assigned;
    }

    private static byte[] smallZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("coverage/summary.txt"));
            zip.write("lines 87.5 %\n".repeat(200).getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(PROBE));
            zip.write("<testsuite tests=\"42\"/>\n".repeat(100).getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
