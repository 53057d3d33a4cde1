package io.jobyard.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.bootstrap.e2e.HttpApi.Response;
import io.jobyard.bootstrap.e2e.ScriptedRunner.RunningJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, "two runners polling concurrently against 500 pending jobs: each job runs exactly once". Two threads, each
 * its own runner speaking the protocol over HTTP, take jobs until the server has none left; every job must have been
 * handed to exactly one of them, and every job must be a success afterwards.
 */
class ConcurrentRunnersTest {
    private static final int PIPELINES = 5;
    private static final int JOBS_PER_PIPELINE = 100;
    private static final int JOBS = PIPELINES * JOBS_PER_PIPELINE;

    @TempDir
    Path dir;

    private ServerUnderTest server;
    private HttpApi api;
    private String admin;

    @BeforeEach
    void start() {
        server = new ServerUnderTest(dir);
        api = server.api();
        admin = server.adminToken();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void twoRunnersPollingTogetherRunEachOf500JobsExactlyOnce() throws Exception {
        long project = api.json("POST", "/projects", admin, Map.of("name", "load", "namespace_path", "acme"))
                .json().get("id").asLong();
        StringBuilder config = new StringBuilder();
        for (int i = 0; i < JOBS_PER_PIPELINE; i++) {
            config.append("job_").append(i).append(": {script: [\"echo ").append(i).append("\"]}\n");
        }
        List<Long> pipelines = new ArrayList<>();
        for (int p = 0; p < PIPELINES; p++) {
            Response created = api.json("POST", "/projects/" + project + "/pipeline", admin,
                    Map.of("ref", "main", "sha", "%040d".formatted(p + 1), "ci_config", config.toString()));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            pipelines.add(created.json().get("id").asLong());
        }
        assertThat(countJobs(project, pipelines, "pending")).isEqualTo(JOBS);
        ScriptedRunner first = ScriptedRunner.create(api, admin, "runner one");
        ScriptedRunner second = ScriptedRunner.create(api, admin, "runner two");

        long started = System.nanoTime();
        CountDownLatch ready = new CountDownLatch(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<List<Long>> one = threads.submit(runUntilNothingIsLeft(first, ready));
            Future<List<Long>> two = threads.submit(runUntilNothingIsLeft(second, ready));
            List<Long> takenByOne = one.get();
            List<Long> takenByTwo = two.get();

            // Reported, not asserted: the machine decides the speed.
            System.out.printf("runner one ran %d jobs, runner two %d, in %d ms%n", takenByOne.size(),
                    takenByTwo.size(), (System.nanoTime() - started) / 1_000_000);
            assertThat(takenByOne).doesNotHaveDuplicates();
            assertThat(takenByTwo).doesNotHaveDuplicates().doesNotContainAnyElementsOf(takenByOne);
            Set<Long> union = new HashSet<>(takenByOne);
            union.addAll(takenByTwo);
            assertThat(union).hasSize(JOBS).containsExactlyInAnyOrderElementsOf(allJobIds(project, pipelines));
        } finally {
            threads.shutdownNow();
        }
        assertThat(countJobs(project, pipelines, "success")).isEqualTo(JOBS);
        assertThat(countJobs(project, pipelines, "pending")).isZero();
        assertThat(countJobs(project, pipelines, "running")).isZero();
    }

    /**
     * One runner's loop: take a job, report it successful, repeat until the server answers 204. Nothing is added to
     * the queue while the runners work, so the first 204 means every job has been handed out.
     */
    private static Callable<List<Long>> runUntilNothingIsLeft(ScriptedRunner runner, CountDownLatch ready) {
        return () -> {
            List<Long> taken = new ArrayList<>();
            ready.countDown();
            ready.await();
            while (true) {
                Optional<RunningJob> job = runner.requestJob();
                if (job.isEmpty()) {
                    return taken;
                }
                taken.add(job.get().id);
                Response done = job.get().succeed();
                if (done.status() != 200) {
                    throw new AssertionError("job " + job.get().id + " could not finish: " + done);
                }
            }
        };
    }

    /** Every pipeline's job count in {@code scope}, from the {@code X-Total} of the pipeline job list. */
    private int countJobs(long project, List<Long> pipelines, String scope) {
        int total = 0;
        for (long pipeline : pipelines) {
            Response page = api.get("/projects/" + project + "/pipelines/" + pipeline + "/jobs?per_page=1&scope="
                    + scope, admin);
            assertThat(page.status()).isEqualTo(200);
            total += Integer.parseInt(page.header("X-Total"));
        }
        return total;
    }

    private List<Long> allJobIds(long project, List<Long> pipelines) {
        List<Long> ids = new ArrayList<>();
        for (long pipeline : pipelines) {
            for (int page = 1; page <= (JOBS_PER_PIPELINE + 99) / 100; page++) {
                JsonNode jobs = api.get("/projects/" + project + "/pipelines/" + pipeline + "/jobs?per_page=100&page="
                        + page, admin).json();
                jobs.forEach(job -> ids.add(job.get("id").asLong()));
            }
        }
        return ids;
    }
}
