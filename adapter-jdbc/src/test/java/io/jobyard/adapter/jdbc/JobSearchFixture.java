package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.artifact.ArtifactFileType;
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
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.user.UserId;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * A project whose jobs look like a busy repository's, for the job search plan test and the listing benchmark: pipelines
 * of 20 jobs a minute apart, 80 % of them on {@code main} and the rest on a branch of their own, a tenth re-run on the
 * commit before; sources push (85 %), schedule (8 %), web (5 %), api (2 %); 20 users, 8 runners; job names
 * {@code build}, {@code lint}, {@code rspec 1/16} … {@code rspec 16/16}, {@code package}, {@code deploy} in stages
 * build, test and deploy; 70 % success, 15 % failed (script failures, a tenth stuck, a fiftieth runner system
 * failures), 5 % canceled, 5 % skipped, 2 % manual, 2 % running, 1 % pending, drawn per job (a hash of its id) so that
 * no name, user or runner has only one kind of outcome; durations of 30 s to 10 min; tags
 * {@code docker} and {@code linux} on every job, {@code gpu} on {@code rspec 1/16}; an archive on every {@code build}
 * and a JUnit report on every {@code rspec 1/16} (10 % of jobs have artifacts). A second project holds a twentieth as
 * many jobs, so every query has a project to tell apart. Ids are the loader's own (the database is a throwaway one).
 *
 * <p>{@link #cases} names the filters the benchmark and the plan test run: each filter alone with a representative
 * value, and the common pairs of issue 17.
 */
public final class JobSearchFixture {
    public static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    public static final int JOBS_PER_PIPELINE = 20;
    private static final int BATCH = 1_000;
    private static final List<String> NAMES = names();

    /** What was loaded: the big project, its first and last job ids, and its pipelines. */
    public record Loaded(Project project, Project other, long firstJobId, long lastJobId, List<Pipeline> pipelines) {
        /** The time {@code fraction} (0..1) of the way through the project's history. */
        public Instant at(double fraction) {
            return T0.plusSeconds((long) (pipelines.size() * 60L * fraction));
        }
    }

    /** A filter of the benchmark and the plan test, with its label. */
    public record Case(String label, JobFilter filter) {
    }

    private JobSearchFixture() {
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>(List.of("build", "lint"));
        for (int i = 1; i <= 16; i++) {
            names.add("rspec " + i + "/16");
        }
        names.add("package");
        names.add("deploy");
        return names;
    }

    /**
     * Loads {@code jobs} jobs into one project (and a twentieth of that into another), in transactions of 1,000 jobs.
     *
     * @param progress told the number of jobs loaded after each batch
     */
    public static Loaded load(JdbcPersistence persistence, int jobs, IntConsumer progress) {
        Project project = persistence.projects().insert(new Project(persistence.projects().nextId(), "Benchmark",
                "benchmark", "bench", Visibility.PRIVATE, false, false, T0));
        Project other = persistence.projects().insert(new Project(persistence.projects().nextId(), "Other",
                "other", "bench", Visibility.PRIVATE, false, false, T0));
        int pipelineCount = (jobs + JOBS_PER_PIPELINE - 1) / JOBS_PER_PIPELINE;
        int otherPipelines = Math.max(1, pipelineCount / 20);
        List<Pipeline> pipelines = new ArrayList<>(pipelineCount);
        long[] artifactIds = {0};
        int perBatch = BATCH / JOBS_PER_PIPELINE;
        int total = pipelineCount + otherPipelines;
        for (int from = 0; from < total; from += perBatch) {
            int first = from;
            int last = Math.min(total, from + perBatch);
            List<long[]> artifacts = new ArrayList<>();
            persistence.transactor().run(() -> {
                List<Job> batch = new ArrayList<>(BATCH);
                for (int p = first; p < last; p++) {
                    boolean inOther = p >= pipelineCount;
                    int n = inOther ? p - pipelineCount : p;
                    Pipeline pipeline = persistence.pipelines().insert(pipeline(inOther ? other : project, p, n));
                    if (!inOther) {
                        pipelines.add(pipeline);
                    }
                    for (int j = 0; j < JOBS_PER_PIPELINE && (inOther || n * JOBS_PER_PIPELINE + j < jobs); j++) {
                        Job job = job(JobId.of((long) p * JOBS_PER_PIPELINE + j + 1), pipeline, n, j);
                        batch.add(job);
                        if (j == 0 || j == 2) {
                            artifacts.add(new long[] {++artifactIds[0], job.id().value(),
                                    job.projectId().value(), j == 0 ? ArtifactFileType.ARCHIVE.code()
                                    : ArtifactFileType.JUNIT.code()});
                        }
                    }
                }
                persistence.jobs().insertAll(batch);
            });
            insertArtifacts(persistence, artifacts);
            progress.accept(Math.min(jobs, last * JOBS_PER_PIPELINE));
        }
        return new Loaded(project, other, 1, (long) (pipelineCount - 1) * JOBS_PER_PIPELINE
                + Math.min(JOBS_PER_PIPELINE, jobs - (pipelineCount - 1) * JOBS_PER_PIPELINE), pipelines);
    }

    private static void insertArtifacts(JdbcPersistence persistence, List<long[]> artifacts) {
        if (artifacts.isEmpty()) {
            return;
        }
        persistence.jdbi().useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch("INSERT INTO job_artifacts (id, job_id, project_id, file_type,"
                    + " file_format, filename, size_bytes, sha256, expire_at, locked, accessibility, storage_key,"
                    + " created_at) VALUES (:id, :job, :project, :type, :format, :filename, 1000, NULL, NULL, FALSE,"
                    + " 'public', :key, :created)");
            for (long[] a : artifacts) {
                ArtifactFileType type = ArtifactFileType.fromCode((int) a[3]);
                batch.bind("id", a[0]).bind("job", a[1]).bind("project", a[2]).bind("type", a[3])
                        .bind("format", type.requiredFormat().code()).bind("filename", type.defaultFilename())
                        .bind("key", "artifacts/" + a[1] + "/" + a[3]).bind("created", Values.instant(T0)).add();
            }
            batch.execute();
        });
    }

    private static Pipeline pipeline(Project project, int id, int n) {
        Instant created = T0.plusSeconds(n * 60L);
        boolean branch = n % 5 == 0;
        // a tenth of the pipelines are re-runs of the commit before
        int commit = n % 10 == 7 ? n - 1 : n;
        PipelineSource source = n % 50 == 3 ? PipelineSource.API : n % 20 == 1 ? PipelineSource.WEB
                : n % 12 == 5 ? PipelineSource.SCHEDULE : PipelineSource.PUSH;
        return new Pipeline(PipelineId.of(id + 1L), n + 1L, project.id(), branch ? "feature-" + n : "main", false,
                Commit.ofSha(sha(project.id(), commit), OffsetDateTime.ofInstant(created, ZoneOffset.UTC)), source,
                n % 7 == 0 ? JobStatus.FAILED : JobStatus.SUCCESS, List.of("build", "test", "deploy"), List.of(),
                UserId.of(1 + n % 20), created, created, created, created.plusSeconds(900), 1);
    }

    public static String sha(ProjectId project, int commit) {
        return String.format("%08x%032x", project.value(), commit);
    }

    /** SplitMix64's finalizer: a job's dice, so that its status, runner and failure do not follow its position. */
    private static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static Job job(JobId id, Pipeline pipeline, int n, int j) {
        long dice = mix(id.value());
        int bucket = (int) Math.floorMod(dice, 100L);
        JobStatus status = bucket < 70 ? JobStatus.SUCCESS : bucket < 85 ? JobStatus.FAILED
                : bucket < 90 ? JobStatus.CANCELED : bucket < 95 ? JobStatus.SKIPPED : bucket < 97 ? JobStatus.MANUAL
                : bucket < 99 ? JobStatus.RUNNING : JobStatus.PENDING;
        String stage = j < 2 ? "build" : j < 18 ? "test" : "deploy";
        List<String> tags = j == 2 ? List.of("docker", "linux", "gpu") : List.of("docker", "linux");
        JobExecution execution = new JobExecution("ruby:3.3", List.of("postgres:16"), List.of("bundle install"),
                List.of("bundle exec rspec --tag slice" + j), List.of(), null, null, 3600);
        JobSpec spec = new JobSpec(NAMES.get(j), stage, j < 2 ? 0 : j < 18 ? 1 : 2,
                status == JobStatus.MANUAL ? WhenCondition.MANUAL : WhenCondition.ON_SUCCESS, null, false, false,
                List.of(), tags, List.of(), null, RetryPolicy.NONE, false, execution);
        Instant created = pipeline.createdAt();
        Job.Builder job = Job.builder().id(id).projectId(pipeline.projectId()).pipelineId(pipeline.id()).spec(spec)
                .status(status).ref(pipeline.ref()).userId(pipeline.userId()).createdAt(created)
                .updatedAt(created.plusSeconds(300)).retried(bucket % 10 == 3 && status.isComplete());
        if (status != JobStatus.MANUAL && status != JobStatus.SKIPPED) {
            job.queuedAt(created.plusSeconds(1)).runnerId(RunnerId.of(1 + Math.floorMod(dice >>> 8, 8L)));
        }
        Instant started = created.plusSeconds(5 + n % 7);
        if (status.isComplete() && status != JobStatus.SKIPPED || status == JobStatus.RUNNING) {
            job.startedAt(started);
        }
        if (status.isComplete() && status != JobStatus.SKIPPED) {
            Instant finished = started.plusSeconds(30 + (j * 17L + n * 13L) % 570);
            job.finishedAt(finished).updatedAt(finished);
        }
        if (status == JobStatus.FAILED) {
            int draw = (int) Math.floorMod(dice >>> 16, 100L);
            FailureReason reason = draw < 2 ? FailureReason.RUNNER_SYSTEM_FAILURE
                    : draw < 12 ? FailureReason.STUCK_OR_TIMEOUT_FAILURE : FailureReason.SCRIPT_FAILURE;
            job.failureReason(reason).exitCode(1);
        }
        return job.build();
    }

    /**
     * Turns the search's shortcuts of V100 and after on or off ({@link JdbiJobRepository#withShortcuts}), for the
     * benchmark (another package) to measure both plans on the same rows.
     */
    public static void shortcuts(JdbcPersistence persistence, boolean on) {
        ((JdbiJobRepository) persistence.jobs()).withShortcuts(on);
    }

    /** Each filter alone with a representative value, then the common pairs; every label is unique. */
    public static List<Case> cases(Loaded loaded) {
        Map<String, JobFilter> cases = new LinkedHashMap<>();
        Pipeline middle = loaded.pipelines().get(loaded.pipelines().size() / 2);
        Pipeline branch = loaded.pipelines().get(loaded.pipelines().size() / 2 / 5 * 5);
        cases.put("(none)", JobFilter.ALL);
        cases.put("scope=failed (15%)", filter().statuses(Set.of(JobStatus.FAILED)).build());
        cases.put("scope=pending,running (3%)", filter().statuses(Set.of(JobStatus.PENDING, JobStatus.RUNNING))
                .build());
        cases.put("name=rspec 7/16 (5%)", filter().name("rspec 7/16").build());
        cases.put("name=rspec* (80%)", filter().name("rspec*").build());
        cases.put("stage=deploy (10%)", filter().stage("deploy").build());
        cases.put("ref=main (80%)", filter().ref("main").build());
        cases.put("ref=<a branch> (20 jobs)", filter().ref(branch.ref()).build());
        cases.put("sha=<a commit> (20-40 jobs)", filter().sha(middle.sha()).build());
        cases.put("pipeline_id=<one> (20 jobs)", filter().pipeline(middle.id()).build());
        cases.put("user_id=<one> (5%)", filter().user(UserId.of(7)).build());
        cases.put("runner_id=<one> (11%)", filter().runner(RunnerId.of(3)).build());
        cases.put("failure_reason=script (13%)", filter().failureReason(FailureReason.SCRIPT_FAILURE).build());
        cases.put("failure_reason=runner_system (0.3%)",
                filter().failureReason(FailureReason.RUNNER_SYSTEM_FAILURE).build());
        cases.put("source=schedule (7%)", filter().source(PipelineSource.SCHEDULE).build());
        cases.put("source=api (2%)", filter().source(PipelineSource.API).build());
        cases.put("tag=gpu (5%)", filter().tag("gpu").build());
        cases.put("with_artifacts=true (10%)", filter().withArtifacts(true).build());
        cases.put("artifact_type=junit (5%)", filter().artifactType(ArtifactFileType.JUNIT).build());
        cases.put("created_after=<last 10%>", filter().createdAfter(loaded.at(0.9)).build());
        cases.put("created_before=<first 10%>", filter().createdBefore(loaded.at(0.1)).build());
        cases.put("updated_after=<last 10%>", filter().updatedAfter(loaded.at(0.9)).build());
        cases.put("updated_before=<first 10%>", filter().updatedBefore(loaded.at(0.1)).build());
        cases.put("finished_after=<last 10%>", filter().finishedAfter(loaded.at(0.9)).build());
        cases.put("finished_before=<first 10%>", filter().finishedBefore(loaded.at(0.1)).build());
        cases.put("name+ref (rspec 7/16, main)", filter().name("rspec 7/16").ref("main").build());
        cases.put("scope+ref (failed, main)", filter().statuses(Set.of(JobStatus.FAILED)).ref("main").build());
        cases.put("stage+finished_after (test, last 10%)",
                filter().stage("test").finishedAfter(loaded.at(0.9)).build());
        cases.put("username+created_after (one user, last 10%)",
                filter().user(UserId.of(7)).createdAfter(loaded.at(0.9)).build());
        List<Case> list = new ArrayList<>();
        cases.forEach((label, filter) -> list.add(new Case(label, filter)));
        return list;
    }

    private static JobFilter.Builder filter() {
        return JobFilter.builder();
    }

    /** Every order in both directions. */
    public static List<JobOrdering> orderings() {
        List<JobOrdering> orderings = new ArrayList<>();
        for (JobOrder order : JobOrder.values()) {
            orderings.add(new JobOrdering(order, false));
            orderings.add(new JobOrdering(order, true));
        }
        return orderings;
    }

    /**
     * A keyset position {@code depth} (0..1) of the way through the list of every job, from the fixture's value
     * ranges, without a query: a position need not be a row's (a keyset page starts after it wherever it lies), and
     * the benchmark's timed loop must not be preceded by an offset walk per case. With a filter the page is that deep
     * into the filter's values, roughly.
     */
    public static SortKey syntheticPosition(Loaded loaded, JobOrdering ordering, double depth) {
        double fraction = ordering.ascending() ? depth : 1 - depth;
        long id = ordering.ascending() ? 0 : Long.MAX_VALUE;
        long value = switch (ordering.by()) {
            case ID -> loaded.firstJobId() + (long) ((loaded.lastJobId() - loaded.firstJobId()) * fraction);
            case CREATED_AT, UPDATED_AT, FINISHED_AT -> JobOrder.micros(loaded.at(fraction));
            case DURATION -> (long) ((30 + 570 * fraction) * 1_000_000L);
        };
        return ordering.by() == JobOrder.ID ? SortKey.ofId(value) : new SortKey(value, id);
    }

    /**
     * A keyset position {@code depth} (0..1) of the way through the list: the sort value and id of the row there,
     * read with one offset query (which the timed queries never are).
     */
    public static SortKey positionAt(JdbcPersistence persistence, ProjectId project, JobFilter filter,
                                     JobOrdering ordering, double depth) {
        long count = persistence.jobs().count(project, filter);
        if (count < 2) {
            return null;
        }
        List<Job> row = persistence.jobs().search(project, filter, ordering, null, (long) ((count - 1) * depth), 1);
        if (row.isEmpty()) {
            return null;
        }
        return new SortKey(ordering.keyOf(row.get(0)), row.get(0).id().value());
    }
}
