package io.jobyard.application.service.job;

import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.application.service.pipeline.PipelineProgress;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static io.jobyard.application.service.ServiceFixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the job actions do when someone else changes the job between their read and their write. */
class JobActionsRaceTest {
    private final ServiceFixture f = new ServiceFixture();
    private final Pipeline pipeline = f.data.pipeline(f.project, "main", JobStatus.FAILED);

    /** Writes "someone else" commits while our attempt runs; they land once our attempt's transaction is over. */
    private final Deque<Runnable> othersCommits = new ArrayDeque<>();

    /**
     * A job repository whose first {@code times} updates lose a race: someone else committed {@code interference} to
     * the job first, so our update is stale and the use case must start over from a fresh read.
     */
    private JobRepository losingRaces(int times, UnaryOperator<Job> interference) {
        JobRepository real = f.repos.jobs();
        int[] left = {times};
        return (JobRepository) Proxy.newProxyInstance(JobRepository.class.getClassLoader(),
                new Class<?>[]{JobRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("update") && left[0] > 0) {
                        left[0]--;
                        JobId id = ((Job) args[0]).id();
                        othersCommits.add(() -> real.update(interference.apply(real.findById(id).orElseThrow())));
                        throw new StaleObjectException("job " + id);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * A job repository over a store where someone else has already retried {@code job}, read as a READ COMMITTED
     * transaction may read it: the use case's reads of the job still see {@code before} (they ran before the other
     * retry committed), and the first read of the pipeline's jobs — the next statement — sees the commit. Later reads
     * see the store as it is.
     */
    private JobRepository retriedByOthersBetweenReads(Job before) {
        JobRepository real = f.repos.jobs();
        boolean[] landed = {false};
        return (JobRepository) Proxy.newProxyInstance(JobRepository.class.getClassLoader(),
                new Class<?>[]{JobRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("findByPipeline")) {
                        landed[0] = true;
                    } else if (method.getName().equals("findById") && !landed[0] && before.id().equals(args[0])) {
                        return Optional.of(before);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The retries of {@code job}: one at most, whoever asked. */
    private List<Job> successorsOf(Job job) {
        return f.repos.jobs().findByPipeline(pipeline.id()).stream().filter(j -> job.id().equals(j.retriedFrom()))
                .toList();
    }

    private Job retriedByOthers(Job job) {
        Job before = f.reload(job);
        f.optimisticRetry.run(() -> f.progress.retry(f.reload(job), f.maintainer.id(), null));
        return before;
    }

    private JobActionsUseCase actionsOver(JobRepository jobs) {
        Transactor transactor = new Transactor() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
                try {
                    return f.repos.transactor().inTransaction(work);
                } finally {
                    for (Runnable commit = othersCommits.poll(); commit != null; commit = othersCommits.poll()) {
                        commit.run();
                    }
                }
            }
        };
        return f.rewire(ports -> {
            ports.jobs = jobs;
            ports.transactorPort = transactor;
        }).jobActions();
    }

    @Test
    void aLostRaceIsRunAgainFromAFreshRead() {
        Job job = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.PENDING, f.developer);

        Job canceled = actionsOver(losingRaces(1, j -> j.withCoverage(12.5)))
                .cancel(as(f.developer), f.ref, job.id(), false).job();

        assertThat(canceled.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(canceled.coverage()).isEqualTo(12.5);
        assertThat(f.reload(job)).isEqualTo(canceled);
    }

    @Test
    void theRetryIsJudgedAgainOnTheFreshRead() {
        Job job = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.FAILED, f.developer);

        // Someone else retried the job meanwhile: on the fresh read it is no longer retryable.
        Refusals.forbidden(() -> actionsOver(losingRaces(1, j -> j.markRetried(ServiceFixture.NOW)))
                .retry(as(f.developer), f.ref, job.id()), "Job is not retryable");

        assertThat(f.repos.jobs().findByPipeline(pipeline.id())).hasSize(1);
        assertThat(f.reload(job).retried()).isTrue();
    }

    /**
     * Two instances retried one job at once on PostgreSQL and both answered 201: the second had judged the job retryable
     * on its read, and its pipeline pass, reading again, retried the version the first had just marked retried.
     */
    @Test
    void aRetryThatLandsBetweenTheChecksReadAndThePipelinesReadIsNotRetriedAgain() {
        Job job = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.FAILED, f.developer);
        Job before = retriedByOthers(job);

        Refusals.forbidden(() -> actionsOver(retriedByOthersBetweenReads(before))
                .retry(as(f.developer), f.ref, job.id()), "Job is not retryable");

        assertThat(successorsOf(job)).hasSize(1);
    }

    /** The same race through play: a finished manual job played again is retried, once. */
    @Test
    void aFinishedManualJobRetriedBetweenThePlaysReadsIsNotRetriedAgain() {
        Job deploy = f.job(pipeline, JobSpec.simple("deploy", "build", 0).withWhen(WhenCondition.MANUAL, null),
                JobStatus.SUCCESS, f.developer);
        Job before = retriedByOthers(deploy);

        Refusals.badRequest(() -> actionsOver(retriedByOthersBetweenReads(before))
                .play(as(f.developer), f.ref, deploy.id(), null), "Unplayable Job");

        assertThat(successorsOf(deploy)).hasSize(1);
    }

    @Test
    void racesThatNeverEndSurfaceAsAResourceLockConflict() {
        Job job = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.PENDING, f.developer);

        assertThatThrownBy(() -> actionsOver(losingRaces(Integer.MAX_VALUE, j -> j.withCoverage(1.0)))
                .cancel(as(f.developer), f.ref, job.id(), false))
                .isInstanceOf(ConflictException.class)
                .hasMessage("409 Conflict: Resource lock");
        assertThat(f.reload(job).status()).isEqualTo(JobStatus.PENDING);
    }
}
