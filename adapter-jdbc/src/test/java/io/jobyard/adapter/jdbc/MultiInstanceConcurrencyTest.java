package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.pipeline.PipelineProgress;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobEvent;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.TransitionContext;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.user.UserId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Jobyard instances (two JDBI + HikariCP pairs) on one PostgreSQL, eight threads each: pending jobs are handed out
 * exactly once, and racing cancel/retry/play leave every job in one legal state with at most one retry successor.
 */
class MultiInstanceConcurrencyTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final int THREADS_PER_INSTANCE = 8;

    private final List<HikariDataSource> pools = new ArrayList<>();
    private List<JdbcPersistence> instances;
    private Pipeline pipeline;

    @BeforeEach
    void twoInstancesOnOneDatabase() {
        String url = TestStores.newPostgresDatabaseUrl();
        instances = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HikariDataSource pool = DataSources.create(
                    DataSources.Settings.of(url, "postgres", "postgres", THREADS_PER_INSTANCE));
            pools.add(pool);
            instances.add(JdbcPersistence.migrateAndOpen(pool));
        }
        JdbcPersistence first = instances.get(0);
        Project project = first.projects().insert(new Project(first.projects().nextId(), "Busy", "busy", "group",
                Visibility.PRIVATE, false, false, T0));
        pipeline = first.pipelines().insert(new Pipeline(first.pipelines().nextId(),
                first.pipelines().nextIid(project.id()), project.id(), "main", false,
                Commit.ofSha("a".repeat(40), OffsetDateTime.of(2024, 5, 1, 9, 0, 0, 0, ZoneOffset.UTC)),
                PipelineSource.PUSH, JobStatus.PENDING, List.of("test"), List.of(), null, T0, T0, null, null, 0));
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    @Test
    void everyPendingJobIsClaimedByExactlyOneRunner() throws Exception {
        List<JobId> pending = insertJobs(2_000, JobStatus.PENDING, WhenCondition.ON_SUCCESS);
        Map<JobId, RunnerId> claims = new ConcurrentHashMap<>();
        AtomicInteger doubleClaims = new AtomicInteger();

        runOnBothInstances((persistence, worker) -> {
            RunnerId runner = RunnerId.of(worker + 1);
            while (true) {
                var claimed = persistence.jobs().claimPending(job -> true,
                        job -> job.run(runner, tokenDigest(job.id()), T0.plusSeconds(60)));
                if (claimed.isEmpty()) {
                    return;
                }
                if (claims.putIfAbsent(claimed.get().id(), runner) != null) {
                    doubleClaims.incrementAndGet();
                }
            }
        });

        assertThat(doubleClaims).hasValue(0);
        assertThat(claims.keySet()).containsExactlyInAnyOrderElementsOf(pending);
        Map<JobId, Job> stored = instances.get(1).jobs().findByIds(pending);
        assertThat(stored.values()).allSatisfy(job -> {
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(job.runnerId()).isEqualTo(claims.get(job.id()));
            assertThat(job.lockVersion()).isEqualTo(1);
        });
        assertThat(instances.get(0).jobs().findPending(10)).isEmpty();
        // both instances took part: the queue was shared, not drained by whoever came first
        assertThat(claims.values().stream().map(r -> r.value() <= THREADS_PER_INSTANCE).distinct()).hasSize(2);
    }

    @Test
    void theOptimisticClaimOfThePortIsExactlyOnceToo() throws Exception {
        List<JobId> pending = insertJobs(300, JobStatus.PENDING, WhenCondition.ON_SUCCESS);
        Map<JobId, RunnerId> claims = new ConcurrentHashMap<>();
        AtomicInteger doubleClaims = new AtomicInteger();

        runOnBothInstances((persistence, worker) -> {
            RunnerId runner = RunnerId.of(worker + 1);
            JobRepository portDefault = new JobRepositoryWithDefaultClaim(persistence.jobs());
            while (true) {
                var claimed = portDefault.claimPending(job -> true,
                        job -> job.run(runner, tokenDigest(job.id()), T0.plusSeconds(60)));
                if (claimed.isEmpty()) {
                    return;
                }
                if (claims.putIfAbsent(claimed.get().id(), runner) != null) {
                    doubleClaims.incrementAndGet();
                }
            }
        });

        assertThat(doubleClaims).hasValue(0);
        assertThat(claims.keySet()).containsExactlyInAnyOrderElementsOf(pending);
    }

    @Test
    void racingCancelRetryAndPlayLeaveOneLegalStateAndAtMostOneRetryPerJob() throws Exception {
        List<JobId> originals = new ArrayList<>();
        originals.addAll(insertJobs(50, JobStatus.RUNNING, WhenCondition.ON_SUCCESS));
        originals.addAll(insertJobs(50, JobStatus.FAILED, WhenCondition.ON_SUCCESS));
        originals.addAll(insertJobs(50, JobStatus.MANUAL, WhenCondition.MANUAL));
        originals.addAll(insertJobs(50, JobStatus.PENDING, WhenCondition.ON_SUCCESS));
        AtomicInteger conflicts = new AtomicInteger();

        runOnBothInstances((persistence, worker) -> {
            OptimisticRetry retry = new OptimisticRetry(persistence.transactor(), 20);
            JobRepository jobs = persistence.jobs();
            Random random = new Random(worker);
            List<JobId> order = new ArrayList<>(originals);
            for (int round = 0; round < 3; round++) {
                Collections.shuffle(order, random);
                for (JobId id : order) {
                    int action = random.nextInt(3);
                    try {
                        retry.run(() -> {
                            switch (action) {
                                case 0 -> cancel(jobs, id);
                                case 1 -> retryJob(jobs, id, worker);
                                default -> play(jobs, id);
                            }
                            return null;
                        });
                    } catch (ConflictException lostEveryAttempt) {
                        conflicts.incrementAndGet();
                    }
                }
            }
        });

        List<Job> all = instances.get(0).jobs().findByPipeline(pipeline.id());
        Map<JobId, List<Job>> successors = new HashMap<>();
        for (Job job : all) {
            if (job.retriedFrom() != null) {
                successors.computeIfAbsent(job.retriedFrom(), k -> new ArrayList<>()).add(job);
            }
        }
        assertThat(all).allSatisfy(job -> {
            List<Job> next = successors.getOrDefault(job.id(), List.of());
            assertThat(next).as("retry successors of job %s", job.id()).hasSizeLessThanOrEqualTo(1);
            assertThat(job.retried()).as("job %s is marked retried exactly when it has a successor", job.id())
                    .isEqualTo(next.size() == 1);
            if (job.retried()) {
                assertThat(job.status()).isIn(JobStatus.SUCCESS, JobStatus.FAILED, JobStatus.CANCELED,
                        JobStatus.CANCELING);
            }
            if (job.status().isComplete() && job.status() != JobStatus.SKIPPED) {
                assertThat(job.finishedAt()).as("finished_at of %s job %s", job.status(), job.id()).isNotNull();
            }
            if (job.status() == JobStatus.FAILED) {
                assertThat(job.failureReason()).isNotNull();
            }
        });
        assertThat(all.stream().filter(Job::retried)).isNotEmpty();
        System.out.printf("racing actions: %d jobs after the race, %d retried, %d requests lost every attempt%n",
                all.size(), all.stream().filter(Job::retried).count(), conflicts.get());
    }

    /**
     * Two instances retry one failed job at once, interleaved as PostgreSQL's READ COMMITTED lets them: ours reads the
     * job and judges it retryable, the other instance retries it and commits, then our pipeline pass reads the
     * pipeline's jobs — a new statement, which sees that commit. Ours must lose the race and, run again, refuse; it once
     * retried the job a second time (two successors, "retried jobs without exactly one successor" in
     * TwoInstancesOnePostgresTest).
     */
    @Test
    void aRetryTheOtherInstanceCommitsDuringOursIsNotRetriedAgain() {
        JobId failed = insertJobs(1, JobStatus.FAILED, WhenCondition.ON_SUCCESS).get(0);
        JdbcPersistence ours = instances.get(0);
        JdbcPersistence theirs = instances.get(1);
        boolean[] theyRetried = {false};
        List<Boolean> judgedRetryable = new ArrayList<>();

        Job ourRetry = new OptimisticRetry(ours.transactor()).run(() -> {
            Job fresh = ours.jobs().findById(failed).orElseThrow();
            judgedRetryable.add(fresh.retryable(false));
            if (!fresh.retryable(false)) {
                return null; // the use case's 403 "Job is not retryable"
            }
            if (!theyRetried[0]) {
                theyRetried[0] = true;
                // on the other instance's own connection, committed while our transaction is open
                new OptimisticRetry(theirs.transactor()).run(() -> progress(theirs)
                        .retry(theirs.jobs().findById(failed).orElseThrow(), UserId.of(2), null));
            }
            return progress(ours).retry(fresh, UserId.of(1), null);
        });

        assertThat(ourRetry).as("our retry, run again from a fresh read, finds the job retried").isNull();
        assertThat(judgedRetryable).containsExactly(true, false);
        List<Job> all = ours.jobs().findByPipeline(pipeline.id());
        assertThat(all).filteredOn(job -> failed.equals(job.retriedFrom())).singleElement()
                .satisfies(successor -> assertThat(successor.userId()).isEqualTo(UserId.of(2)));
        assertThat(all).filteredOn(job -> job.id().equals(failed)).singleElement()
                .satisfies(job -> assertThat(job.retried()).isTrue());
    }

    private static PipelineProgress progress(JdbcPersistence instance) {
        return new PipelineProgress(instance.jobs(), instance.pipelines(), new ArchivePolicy(Duration.ofDays(90)),
                Clock.fixed(T0.plusSeconds(120), ZoneOffset.UTC));
    }

    private static void cancel(JobRepository jobs, JobId id) {
        Job job = jobs.findById(id).orElseThrow();
        Job canceled = job.cancel(false, T0.plusSeconds(120));
        if (canceled != job) {
            jobs.update(canceled);
        }
    }

    /** GitLab's retry: the old job is marked retried and a new one replaces it, in one transaction. */
    private static void retryJob(JobRepository jobs, JobId id, int worker) {
        Job job = jobs.findById(id).orElseThrow();
        if (!job.retryable(false)) {
            return;
        }
        jobs.update(job.markRetried(T0.plusSeconds(120)));
        jobs.insert(job.retryAs(jobs.nextId(), UserId.of(worker + 1), false, T0.plusSeconds(120)));
    }

    /** Playing a manual job enqueues it; playing a finished manual job retries it. */
    private static void play(JobRepository jobs, JobId id) {
        Job job = jobs.findById(id).orElseThrow();
        if (job.status() == JobStatus.MANUAL) {
            jobs.update(job.apply(JobEvent.ENQUEUE, TransitionContext.plain(), T0.plusSeconds(120)));
        } else if (job.playable(false)) {
            jobs.update(job.markRetried(T0.plusSeconds(120)));
            jobs.insert(job.retryAs(jobs.nextId(), null, false, T0.plusSeconds(120)));
        }
    }

    private interface Worker {
        void run(JdbcPersistence persistence, int worker) throws Exception;
    }

    /** Runs {@code worker} on eight threads per instance, all released at once, and waits for all of them. */
    private void runOnBothInstances(Worker worker) throws Exception {
        int threads = THREADS_PER_INSTANCE * instances.size();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                JdbcPersistence persistence = instances.get(t / THREADS_PER_INSTANCE);
                futures.add(executor.submit(() -> {
                    start.await();
                    worker.run(persistence, index);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private List<JobId> insertJobs(int count, JobStatus status, WhenCondition when) {
        JdbcPersistence persistence = instances.get(0);
        Consumer<Job.Builder> times = builder -> {
            if (status == JobStatus.RUNNING || status == JobStatus.FAILED) {
                builder.queuedAt(T0).startedAt(T0.plusSeconds(1)).runnerId(RunnerId.of(99));
            }
            if (status == JobStatus.FAILED) {
                builder.finishedAt(T0.plusSeconds(2)).failureReason(FailureReason.SCRIPT_FAILURE);
            }
            if (status == JobStatus.PENDING) {
                builder.queuedAt(T0);
            }
        };
        List<JobId> ids = new ArrayList<>();
        persistence.transactor().run(() -> {
            for (int i = 0; i < count; i++) {
                JobSpec spec = JobSpec.simple("job " + status.wireName() + " " + i, "test", 0).withWhen(when, null);
                Job.Builder builder = Job.builder().id(persistence.jobs().nextId()).projectId(pipeline.projectId())
                        .pipelineId(pipeline.id()).spec(spec).status(status).ref("main")
                        .userId(UserId.of(1)).createdAt(T0).updatedAt(T0);
                times.accept(builder);
                ids.add(persistence.jobs().insert(builder.build()).id());
            }
        });
        return ids;
    }

    private static String tokenDigest(JobId id) {
        return String.format("%064x", id.value());
    }

    /** The adapter's jobs with the port's own claim (find pending, then optimistic update) instead of row locks. */
    private record JobRepositoryWithDefaultClaim(JobRepository delegate) implements JobRepository {
        @Override public JobId nextId() { return delegate.nextId(); }
        @Override public Job insert(Job job) { return delegate.insert(job); }
        @Override public Job update(Job job) { return delegate.update(job); }
        @Override public java.util.Optional<Job> findById(JobId id) { return delegate.findById(id); }
        @Override public Map<JobId, Job> findByIds(java.util.Collection<JobId> ids) { return delegate.findByIds(ids); }
        @Override public List<Job> findByPipeline(io.jobyard.domain.pipeline.PipelineId p) {
            return delegate.findByPipeline(p);
        }
        @Override public List<Job> listForProject(io.jobyard.domain.project.ProjectId p, Set<JobStatus> s, long o,
                                                  int l) {
            return delegate.listForProject(p, s, o, l);
        }
        @Override public List<Job> listForProjectBefore(io.jobyard.domain.project.ProjectId p, Set<JobStatus> s,
                                                        JobId b, int l) {
            return delegate.listForProjectBefore(p, s, b, l);
        }
        @Override public List<Job> listForPipeline(io.jobyard.domain.pipeline.PipelineId p, Set<JobStatus> s,
                                                   boolean r, long o, int l) {
            return delegate.listForPipeline(p, s, r, o, l);
        }
        @Override public long countForPipeline(io.jobyard.domain.pipeline.PipelineId p, Set<JobStatus> s, boolean r) {
            return delegate.countForPipeline(p, s, r);
        }
        @Override public List<Job> search(io.jobyard.domain.project.ProjectId p,
                                          io.jobyard.application.port.out.JobFilter f,
                                          io.jobyard.application.port.out.JobOrdering o,
                                          io.jobyard.application.port.out.SortKey a, long offset, int l) {
            return delegate.search(p, f, o, a, offset, l);
        }
        @Override public long count(io.jobyard.domain.project.ProjectId p, io.jobyard.application.port.out.JobFilter f) {
            return delegate.count(p, f);
        }
        @Override public java.util.Optional<Job> findLatestByName(io.jobyard.domain.pipeline.PipelineId p, String n) {
            return delegate.findLatestByName(p, n);
        }
        @Override public java.util.Optional<Job> findByTokenDigest(String d) { return delegate.findByTokenDigest(d); }
        @Override public List<Job> findPending(int limit) { return delegate.findPending(limit); }
        @Override public List<Job> findScheduledBefore(Instant now, int limit) {
            return delegate.findScheduledBefore(now, limit);
        }
        @Override public List<Job> findRunningNotUpdatedSince(Instant before, int limit) {
            return delegate.findRunningNotUpdatedSince(before, limit);
        }
    }
}
