package io.jobyard.adapter.jdbc.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.adapter.jdbc.JdbcPersistence;
import io.jobyard.adapter.jdbc.JobSearchFixture;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.RetryPolicy;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.user.UserId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Loads one project with many jobs (1,000,000 by default) into H2 (file mode) and into PostgreSQL (embedded), then
 * times the listings the Jobs API makes, single-threaded, and prints median and p99 per query. Not a test: run it by
 * hand (see BENCHMARKS.md in this module).
 *
 * <p>Arguments: {@code jobs=N} (default 1000000), {@code backends=h2,postgres}, {@code iterations=N} (default 300,
 * GitLab's listings), {@code searchIterations=N} (default 60: each filter of {@link JobSearchFixture#cases} in each
 * order, first page and a keyset page near the end), {@code loader=search|original} (default {@code search}: the
 * fixture of issue 17, 50,000 pipelines of 20 jobs; {@code original}: the loader before it, 50 jobs per pipeline,
 * which runs on the schema before issue 17 too and so measures what its indexes cost a write),
 * {@code queries=all|gitlab|search|none}, {@code only=<text>} (only the filter cases whose label contains it; several
 * texts separated by {@code |}), {@code compare=true} (each search cell measured twice, with the plans of V100 and after
 * and without them, one right after the other), {@code h2dir=<path>} (H2's database in that directory, kept
 * afterwards: a second run with the same path and {@code jobs} skips the load — at 1,000,000 jobs it takes a quarter
 * of an hour), {@code cellSeconds=N} (default 5: a search cell stops its timed runs after that many seconds, at least
 * 3 runs, so that the few cells that take seconds a page do not hold the matrix for hours).
 *
 * <p>Beside the wall-clock medians each search cell has the median CPU time per page: on H2 that of the calling
 * thread (H2 runs in it), on PostgreSQL that of the server's backend processes (from {@code /proc}, in clock ticks,
 * summed over the timed runs): under load the wall clock measures waiting for a core, the CPU time the work.
 */
public final class JobListingBenchmark {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final int JOBS_PER_PIPELINE = 50;
    private static final int BATCH = 1_000;
    private static int searchIterations;
    private static boolean originalLoader;
    private static String queries;
    private static String only;
    private static boolean compare;
    private static long cellNanos;
    /** Every search cell's median ms and CPU ms per page, for the summary at the end of a backend's matrix. */
    private static final List<double[]> cells = new ArrayList<>();
    /** The pids of PostgreSQL's backends (for their CPU time), empty on H2. */
    private static List<Long> backends = List.of();

    private JobListingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = intArg(args, "jobs", 1_000_000);
        int iterations = intArg(args, "iterations", 300);
        searchIterations = intArg(args, "searchIterations", 60);
        originalLoader = stringArg(args, "loader", "search").equals("original");
        queries = stringArg(args, "queries", "all");
        only = stringArg(args, "only", "");
        compare = stringArg(args, "compare", "false").equals("true");
        cellNanos = intArg(args, "cellSeconds", 5) * 1_000_000_000L;
        String h2dir = stringArg(args, "h2dir", "");
        List<String> backends = Arrays.asList(stringArg(args, "backends", "h2,postgres").split(","));
        System.out.printf("JobListingBenchmark: %,d jobs in one project, %d timed iterations per query, %d cores, "
                        + "Java %s%n", jobs, iterations, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        if (backends.contains("h2")) {
            Path directory = h2dir.isEmpty() ? Files.createTempDirectory("jobyard-bench-h2-")
                    : Files.createDirectories(Path.of(h2dir));
            // H2 hands back the previous result of an identical query while nothing was written; a live server
            // writes all the time, so the benchmark measures without that shortcut.
            String url = DataSources.h2FileUrl(directory) + ";OPTIMIZE_REUSE_RESULTS=FALSE";
            try (HikariDataSource pool = DataSources.create(DataSources.Settings.of(url, "sa", "", 4))) {
                run("H2 (file)", pool, jobs, iterations);
            }
        }
        if (backends.contains("postgres")) {
            try (EmbeddedPostgres server = EmbeddedPostgres.builder().start();
                 HikariDataSource pool = DataSources.create(DataSources.Settings.of(
                         server.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true",
                         "postgres", "postgres", 4))) {
                run("PostgreSQL 14 (embedded)", pool, jobs, iterations);
            }
        }
    }

    private static void run(String backend, HikariDataSource pool, int jobCount, int iterations) {
        JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(pool);
        System.out.printf("%n%s: %d indexes on jobs%n", backend, indexCount(pool));
        long loadStart = System.nanoTime();
        Loaded loaded;
        JobSearchFixture.Loaded fixture = null;
        boolean reused = false;
        if (originalLoader) {
            loaded = load(persistence, jobCount);
        } else {
            fixture = reopen(persistence, pool, jobCount);
            if (fixture == null) {
                long[] reported = {0};
                fixture = JobSearchFixture.load(persistence, jobCount, n -> {
                    if (n - reported[0] >= 100_000) {
                        reported[0] = n;
                        System.out.printf("  ... %,d jobs%n", n);
                    }
                });
            } else {
                System.out.printf("%s: reusing the %,d jobs already loaded%n", backend, jobCount);
                reused = true;
            }
            loaded = new Loaded(fixture.project(), fixture.pipelines().stream().map(Pipeline::id).toList(),
                    fixture.firstJobId(), fixture.lastJobId());
        }
        double seconds = (System.nanoTime() - loadStart) / 1e9;
        if (!reused) {
            System.out.printf("%s: loaded %,d jobs in %d pipelines in %.1f s (%,.0f jobs/s, %s loader)%n", backend,
                    jobCount, loaded.pipelines().size(), seconds, jobCount / seconds,
                    originalLoader ? "original" : "search");
        }
        if (persistence.dialect().name().equals("POSTGRESQL")) {
            // fresh statistics, as autovacuum would have them on a live database
            try (var connection = pool.getConnection(); var statement = connection.createStatement()) {
                for (String table : List.of("jobs", "pipelines", "job_tags", "job_artifacts")) {
                    statement.execute("VACUUM ANALYZE " + table);
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        } else {
            try (var connection = pool.getConnection(); var statement = connection.createStatement()) {
                statement.execute("ANALYZE");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        JobRepository jobs = persistence.jobs();
        if (queries.equals("all") || queries.equals("gitlab")) {
            // One untimed pass first: right after a bulk load H2 compacts its file in the background, and the first
            // queries would measure that rather than the listing.
            queries(jobs, loaded, iterations, false);
            System.out.printf("%-58s %10s %10s %6s%n", "query", "median ms", "p99 ms", "rows");
            queries(jobs, loaded, iterations, true);
        }
        if (fixture != null && (queries.equals("all") || queries.equals("search"))) {
            backends = backendPids(pool);
            searches(persistence, fixture, backend);
        }
    }

    /**
     * What an earlier run with the same {@code jobs} loaded into a kept database ({@code h2dir}), or null when the
     * database is empty. A database holding another size is refused rather than measured under a wrong label.
     */
    private static JobSearchFixture.Loaded reopen(JdbcPersistence persistence, HikariDataSource pool, int jobCount) {
        var project = persistence.projects().findByFullPath("bench/benchmark");
        var other = persistence.projects().findByFullPath("bench/other");
        if (project.isEmpty() || other.isEmpty()) {
            return null;
        }
        List<PipelineId> ids = new ArrayList<>();
        long lastJob;
        try (var connection = pool.getConnection();
             var pipelines = connection.prepareStatement("SELECT id FROM pipelines WHERE project_id = ? ORDER BY id");
             var jobs = connection.prepareStatement("SELECT max(id), count(*) FROM jobs WHERE project_id = ?")) {
            pipelines.setLong(1, project.get().id().value());
            try (var rows = pipelines.executeQuery()) {
                while (rows.next()) {
                    ids.add(PipelineId.of(rows.getLong(1)));
                }
            }
            jobs.setLong(1, project.get().id().value());
            try (var rows = jobs.executeQuery()) {
                rows.next();
                lastJob = rows.getLong(1);
                if (rows.getLong(2) != jobCount) {
                    throw new IllegalStateException("the kept database holds " + rows.getLong(2) + " jobs, not "
                            + jobCount + ": give another h2dir");
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        List<Pipeline> pipelines = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += 1_000) {
            var found = persistence.pipelines().findByIds(ids.subList(from, Math.min(ids.size(), from + 1_000)));
            ids.subList(from, Math.min(ids.size(), from + 1_000)).forEach(id -> pipelines.add(found.get(id)));
        }
        return new JobSearchFixture.Loaded(project.get(), other.get(), 1, lastJob, pipelines);
    }

    /** How many indexes the jobs table has (the primary key included): the write cost's main term. */
    private static int indexCount(HikariDataSource pool) {
        try (var connection = pool.getConnection();
             var indexes = connection.getMetaData().getIndexInfo(null, null,
                     connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2")
                             ? "JOBS" : "jobs", false, true)) {
            java.util.Set<String> names = new java.util.HashSet<>();
            while (indexes.next()) {
                if (indexes.getString("INDEX_NAME") != null) {
                    names.add(indexes.getString("INDEX_NAME"));
                }
            }
            return names.size();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Issue 17's matrix: each filter case in each order and direction, the first page and a keyset page near the end
     * of its list (the position of the row {@code min(5,000, n / 10)} from the end, found once beforehand), pages of
     * 100. Prints one Markdown row per case and order.
     */
    private static void searches(JdbcPersistence persistence, JobSearchFixture.Loaded fixture, String backend) {
        JobRepository jobs = persistence.jobs();
        var project = fixture.project().id();
        System.out.printf("%n%s, %d timed runs per query (median / p99 ms, pages of 100)%n", backend,
                searchIterations);
        System.out.println("| filter | matches | order | plans | first page ms: median / p99 / CPU"
                + " | keyset page near the end: the same |");
        System.out.println("|---|---:|---|---|---:|---:|");
        for (JobSearchFixture.Case search : JobSearchFixture.cases(fixture)) {
            if (Arrays.stream(only.split("\\|")).noneMatch(text -> search.label().contains(text))) {
                continue;
            }
            long count = jobs.count(project, search.filter());
            for (JobOrdering ordering : JobSearchFixture.orderings()) {
                JobOrdering reversed = new JobOrdering(ordering.by(), !ordering.ascending());
                long fromEnd = Math.min(5_000, Math.max(1, count / 10));
                List<Job> last = jobs.search(project, search.filter(), reversed, null, fromEnd, 1);
                SortKey deep = last.isEmpty() ? null
                        : new SortKey(ordering.keyOf(last.get(0)), last.get(0).id().value());
                for (boolean shortcuts : compare ? List.of(true, false) : List.of(true)) {
                    JobSearchFixture.shortcuts(persistence, shortcuts);
                    double[] first = measure(() -> jobs.search(project, search.filter(), ordering, null, 0, 101));
                    String deepCell = "–";
                    if (deep != null) {
                        double[] deepPage = measure(() -> jobs.search(project, search.filter(), ordering, deep, 0,
                                101));
                        cells.add(deepPage);
                        deepCell = String.format(Locale.ROOT, "%.2f / %.2f / %.2f", deepPage[0], deepPage[1],
                                deepPage[2]);
                    }
                    cells.add(first);
                    System.out.printf(Locale.ROOT, "| %s | %,d | %s %s | %s | %.2f / %.2f / %.2f | %s |%n",
                            search.label(), count, ordering.by().name().toLowerCase(Locale.ROOT),
                            ordering.ascending() ? "asc" : "desc", shortcuts ? "V100" : "before V100",
                            first[0], first[1], first[2], deepCell);
                }
                JobSearchFixture.shortcuts(persistence, true);
            }
        }
        summarize(backend);
    }

    /** How many cells meet the 5 ms target, by wall clock and by CPU, and the spread of the rest. */
    private static void summarize(String backend) {
        if (cells.isEmpty()) {
            return;
        }
        double[] medians = cells.stream().mapToDouble(cell -> cell[0]).sorted().toArray();
        System.out.printf(Locale.ROOT, "%n%s: %d cells; median at most 5 ms: %d, at most 10 ms: %d, over 50 ms: %d;"
                        + " CPU at most 5 ms: %d; median of the medians %.2f ms, highest %.2f ms%n", backend,
                cells.size(), cells.stream().filter(cell -> cell[0] <= 5).count(),
                cells.stream().filter(cell -> cell[0] <= 10).count(), cells.stream().filter(cell -> cell[0] > 50).count(),
                cells.stream().filter(cell -> cell[2] <= 5).count(), medians[medians.length / 2],
                medians[medians.length - 1]);
        cells.clear();
    }

    /**
     * Median and p99 in ms of {@link #searchIterations} runs (fewer, at least 3, once {@link #cellNanos} have passed)
     * after a warm-up of a fifth as many, and the CPU time in ms per run: the median of the calling thread's on H2,
     * the mean of the backends' on PostgreSQL.
     */
    private static double[] measure(Supplier<List<?>> query) {
        int warmup = Math.max(3, searchIterations / 5);
        long warmupStart = System.nanoTime();
        for (int i = 0; i < warmup && (i < 1 || System.nanoTime() - warmupStart < cellNanos / 5); i++) {
            query.get();
        }
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] nanos = new long[searchIterations];
        long[] cpu = new long[searchIterations];
        long backendTicks = backendTicks();
        long cellStart = System.nanoTime();
        int runs = 0;
        while (runs < searchIterations && (runs < 3 || System.nanoTime() - cellStart < cellNanos)) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            query.get();
            nanos[runs] = System.nanoTime() - start;
            cpu[runs] = threads.getCurrentThreadCpuTime() - cpuStart;
            runs++;
        }
        backendTicks = backendTicks() - backendTicks;
        nanos = Arrays.copyOf(nanos, runs);
        cpu = Arrays.copyOf(cpu, runs);
        Arrays.sort(nanos);
        Arrays.sort(cpu);
        // clock ticks are 10 ms on Linux
        double cpuMs = backends.isEmpty() ? cpu[runs / 2] / 1e6 : backendTicks * 10.0 / runs;
        return new double[] {nanos[runs / 2] / 1e6, nanos[Math.min(runs - 1, (int) Math.ceil(runs * 0.99) - 1)] / 1e6,
                cpuMs};
    }

    /** The client backends of PostgreSQL (the pool's connections), or none on H2 or where they cannot be read. */
    private static List<Long> backendPids(HikariDataSource pool) {
        try (var connection = pool.getConnection(); var statement = connection.createStatement()) {
            if (!connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")) {
                return List.of();
            }
            List<Long> pids = new ArrayList<>();
            try (var rows = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client"
                    + " backend'")) {
                while (rows.next()) {
                    pids.add(rows.getLong(1));
                }
            }
            return pids;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** User and system clock ticks of {@link #backends} so far. */
    private static long backendTicks() {
        long ticks = 0;
        for (long pid : backends) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (java.io.IOException e) {
                // a backend that ended (the pool replaced its connection) no longer counts
            }
        }
        return ticks;
    }

    private static void queries(JobRepository jobs, Loaded loaded, int iterations, boolean report) {
        long newest = loaded.lastJobId();
        long oldest = loaded.firstJobId();
        long count = newest - oldest + 1;
        long shallow = newest - count / 10;
        long deep = oldest + count / 20;
        PipelineId middlePipeline = loaded.pipelines().get(loaded.pipelines().size() / 2);
        var project = loaded.project().id();
        Timer time = (name, n, query) -> time(name, n, query, report);
        time.run("first page (100, newest first)", iterations,
                () -> jobs.listForProjectBefore(project, Set.of(), null, 100));
        time.run("keyset page (100) 10% deep", iterations,
                () -> jobs.listForProjectBefore(project, Set.of(), JobId.of(shallow), 100));
        time.run("keyset page (100) 95% deep", iterations,
                () -> jobs.listForProjectBefore(project, Set.of(), JobId.of(deep), 100));
        time.run("scope=failed first page (100, 15% of jobs)", iterations,
                () -> jobs.listForProjectBefore(project, Set.of(JobStatus.FAILED), null, 100));
        time.run("scope=failed keyset page (100) 95% deep", iterations,
                () -> jobs.listForProjectBefore(project, Set.of(JobStatus.FAILED), JobId.of(deep), 100));
        time.run("scope=pending,running first page (100, 3% of jobs)", iterations,
                () -> jobs.listForProjectBefore(project, Set.of(JobStatus.PENDING, JobStatus.RUNNING), null, 100));
        time.run("offset page: offset 49,980, 20 rows (page 2500 of 20)", Math.max(10, iterations / 10),
                () -> jobs.listForProject(project, Set.of(), 49_980, 20));
        time.run("offset page: offset 49,900, 100 rows", Math.max(10, iterations / 10),
                () -> jobs.listForProject(project, Set.of(), 49_900, 100));
        time.run("pipeline jobs page (100, latest only)", iterations,
                () -> jobs.listForPipeline(middlePipeline, Set.of(), false, 0, 100));
    }

    private record Loaded(Project project, List<PipelineId> pipelines, long firstJobId, long lastJobId) {
    }

    /**
     * Loads in transactions of {@value #BATCH} jobs (and their pipelines), each one JDBC batch. The database is a
     * throwaway one, so the loader numbers jobs and pipelines itself instead of asking the sequences once per row.
     */
    private static Loaded load(JdbcPersistence persistence, int jobCount) {
        Project project = persistence.projects().insert(new Project(persistence.projects().nextId(), "Benchmark",
                "benchmark", "bench", Visibility.PRIVATE, false, false, T0));
        int pipelineCount = (jobCount + JOBS_PER_PIPELINE - 1) / JOBS_PER_PIPELINE;
        int pipelinesPerBatch = BATCH / JOBS_PER_PIPELINE;
        List<PipelineId> pipelines = new ArrayList<>(pipelineCount);
        for (int from = 0; from < pipelineCount; from += pipelinesPerBatch) {
            int firstPipeline = from;
            int lastPipeline = Math.min(pipelineCount, from + pipelinesPerBatch);
            persistence.transactor().run(() -> {
                List<Job> jobs = new ArrayList<>(BATCH);
                for (int p = firstPipeline; p < lastPipeline; p++) {
                    Pipeline pipeline = persistence.pipelines().insert(newPipeline(project, p));
                    pipelines.add(pipeline.id());
                    for (int j = 0; j < JOBS_PER_PIPELINE && p * JOBS_PER_PIPELINE + j < jobCount; j++) {
                        int n = p * JOBS_PER_PIPELINE + j;
                        jobs.add(newJob(JobId.of(n + 1L), pipeline, n, j));
                    }
                }
                persistence.jobs().insertAll(jobs);
            });
            if (from % (100 * pipelinesPerBatch) == 0 && from > 0) {
                System.out.printf("  ... %,d jobs%n", (long) from * JOBS_PER_PIPELINE);
            }
        }
        return new Loaded(project, pipelines, 1, jobCount);
    }

    private static Pipeline newPipeline(Project project, int n) {
        Instant created = T0.plusSeconds(n * 60L);
        return new Pipeline(PipelineId.of(n + 1L), n + 1L, project.id(), n % 5 == 0 ? "feature-" + n : "main",
                false, Commit.ofSha(String.format("%040x", n + 1), OffsetDateTime.ofInstant(created, ZoneOffset.UTC)),
                PipelineSource.PUSH, n % 7 == 0 ? JobStatus.FAILED : JobStatus.SUCCESS,
                List.of("build", "test", "deploy"), List.of(), UserId.of(1 + n % 20), created, created, created,
                created.plusSeconds(600), 1);
    }

    /** 70% success, 15% failed, 5% canceled, 5% skipped, 2% manual, 2% running, 1% pending; 1 in 10 retried. */
    private static Job newJob(JobId id, Pipeline pipeline, int n, int indexInPipeline) {
        int bucket = n % 100;
        JobStatus status = bucket < 70 ? JobStatus.SUCCESS : bucket < 85 ? JobStatus.FAILED
                : bucket < 90 ? JobStatus.CANCELED : bucket < 95 ? JobStatus.SKIPPED : bucket < 97 ? JobStatus.MANUAL
                : bucket < 99 ? JobStatus.RUNNING : JobStatus.PENDING;
        JobExecution execution = new JobExecution("ruby:3.3", List.of("postgres:16"), List.of("bundle install"),
                List.of("bundle exec rspec --tag slice" + indexInPipeline), List.of(), null, null, 3600);
        JobSpec spec = new JobSpec("rspec " + indexInPipeline + "/" + JOBS_PER_PIPELINE, "test", 1,
                status == JobStatus.MANUAL ? WhenCondition.MANUAL : WhenCondition.ON_SUCCESS, null, false, false,
                List.of(), List.of("docker", "linux"), List.of(), null, RetryPolicy.NONE, false, execution);
        Instant created = pipeline.createdAt();
        Job.Builder job = Job.builder().id(id).projectId(pipeline.projectId()).pipelineId(pipeline.id()).spec(spec)
                .status(status).ref(pipeline.ref()).userId(pipeline.userId()).createdAt(created)
                .updatedAt(created.plusSeconds(300)).retried(n % 10 == 3 && status.isComplete());
        if (status != JobStatus.MANUAL && status != JobStatus.SKIPPED) {
            job.queuedAt(created.plusSeconds(1)).runnerId(RunnerId.of(1 + n % 8));
        }
        if (status.isComplete() && status != JobStatus.SKIPPED || status == JobStatus.RUNNING) {
            job.startedAt(created.plusSeconds(5));
        }
        if (status.isComplete() && status != JobStatus.SKIPPED) {
            job.finishedAt(created.plusSeconds(300));
        }
        if (status == JobStatus.FAILED) {
            job.failureReason(FailureReason.SCRIPT_FAILURE).exitCode(1);
        }
        return job.build();
    }

    private interface Timer {
        void run(String name, int iterations, Supplier<List<?>> query);
    }

    private static void time(String name, int iterations, Supplier<List<?>> query, boolean report) {
        int warmup = Math.max(5, iterations / 5);
        int rows = 0;
        for (int i = 0; i < warmup; i++) {
            rows = query.get().size();
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            rows = query.get().size();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double median = nanos[iterations / 2] / 1e6;
        double p99 = nanos[Math.min(iterations - 1, (int) Math.ceil(iterations * 0.99) - 1)] / 1e6;
        if (report) {
            System.out.printf(Locale.ROOT, "%-58s %10.2f %10.2f %6d%n", name, median, p99, rows);
        }
    }

    private static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)).replace("_", ""));
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (String arg : args) {
            if (arg.startsWith(name + "=")) {
                return arg.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
