package io.jobyard.adapter.jdbc;

import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.runner.RunnerId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the JDBC job repository adds to the port: the locking claim and the batched insert (here on H2). */
class JobRepositoryExtrasTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path directory;

    private JdbcPersistence persistence;
    private Pipeline pipeline;

    @BeforeEach
    void store() {
        persistence = JdbcPersistence.migrateAndOpen(TestStores.h2DataSource(directory));
        Project project = persistence.projects().insert(new Project(persistence.projects().nextId(), "P", "p", "g",
                Visibility.PRIVATE, false, false, T0));
        pipeline = persistence.pipelines().insert(new Pipeline(persistence.pipelines().nextId(), 1, project.id(),
                "main", false, Commit.ofSha("b".repeat(40), OffsetDateTime.of(2024, 5, 1, 9, 0, 0, 0,
                ZoneOffset.UTC)), PipelineSource.PUSH, JobStatus.PENDING, List.of("test"), List.of(), null, T0, T0,
                null, null, 0));
    }

    private Job pending(String name, List<String> tags) {
        return Job.builder().id(persistence.jobs().nextId()).projectId(pipeline.projectId())
                .pipelineId(pipeline.id()).spec(JobSpec.simple(name, "test", 0).withTags(tags))
                .status(JobStatus.PENDING).ref("main").createdAt(T0).queuedAt(T0).updatedAt(T0).build();
    }

    @Test
    void aClaimTakesTheOldestPendingJobTheRunnerCanTakeAndLeavesTheOthers() {
        Job gpu = persistence.jobs().insert(pending("gpu", List.of("gpu")));
        Job linux = persistence.jobs().insert(pending("linux", List.of("linux")));
        Job later = persistence.jobs().insert(pending("later", List.of("linux")));
        RunnerId runner = RunnerId.of(7);

        Optional<Job> claimed = persistence.jobs().claimPending(job -> job.spec().tags().contains("linux"),
                job -> job.run(runner, "d".repeat(64), T0.plusSeconds(5)));

        assertThat(claimed).map(Job::id).contains(linux.id());
        assertThat(claimed.get().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(persistence.jobs().findById(linux.id())).isEqualTo(claimed);
        assertThat(persistence.jobs().findPending(10)).extracting(Job::id).containsExactly(gpu.id(), later.id());
        assertThat(persistence.jobs().claimPending(job -> false, job -> job)).isEmpty();
    }

    @Test
    void aClaimInProgressLeavesTheRestOfTheQueueToAConcurrentClaim() throws Exception {
        List<Job> queue = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            queue.add(persistence.jobs().insert(pending("job" + i, List.of())));
        }
        ExecutorService secondRunner = Executors.newSingleThreadExecutor();
        AtomicReference<Optional<Job>> claimedMeanwhile = new AtomicReference<>();
        try {
            Optional<Job> first = persistence.jobs().claimPending(job -> true, job -> {
                // The first claim's transaction holds its candidate now; a second runner asks meanwhile.
                claimedMeanwhile.set(await(secondRunner.submit(() -> persistence.jobs().claimPending(j -> true,
                        j -> j.run(RunnerId.of(2), "e".repeat(64), T0)))));
                return job.run(RunnerId.of(1), "d".repeat(64), T0);
            });

            assertThat(first).map(Job::id).contains(queue.get(0).id());
            assertThat(claimedMeanwhile.get()).map(Job::id).contains(queue.get(1).id());
            assertThat(persistence.jobs().findPending(100)).hasSize(28);
        } finally {
            secondRunner.shutdownNow();
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void insertAllStoresEveryJobOrNone() {
        List<Job> batch = List.of(pending("a", List.of()), pending("b", List.of()), pending("c", List.of()));

        assertThat(persistence.jobs().insertAll(batch)).isEqualTo(batch);
        assertThat(persistence.jobs().findByPipeline(pipeline.id())).isEqualTo(batch);

        Job fresh = pending("d", List.of());
        assertThatThrownBy(() -> persistence.jobs().insertAll(List.of(fresh, batch.get(0))))
                .isInstanceOf(ConflictException.class);
        assertThat(persistence.jobs().findById(fresh.id())).isEmpty();
        assertThat(persistence.jobs().listForProject(pipeline.projectId(), Set.of(), 0, 10)).hasSize(3);
    }
}
