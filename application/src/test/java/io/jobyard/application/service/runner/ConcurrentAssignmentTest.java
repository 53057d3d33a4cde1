package io.jobyard.application.service.runner;

import io.jobyard.application.contract.TestData;
import io.jobyard.application.port.in.runner.JobRequestPayload;
import io.jobyard.application.port.in.runner.RequestJobUseCase.Assigned;
import io.jobyard.application.port.in.runner.RequestJobUseCase.JobRequest;
import io.jobyard.application.port.in.runner.RequestJobUseCase.JobRequestResult;
import io.jobyard.application.port.in.runner.RequestJobUseCase;
import io.jobyard.application.port.in.runner.RunnersUseCase.CreatedRunner;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.runner.RunnerId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several runners, each talking to its own service instance (as on separate Jobyard instances) over one shared store,
 * race for 500 pending jobs: every job is handed out exactly once.
 */
class ConcurrentAssignmentTest {
    private static final int JOBS = 500;
    private static final int RUNNERS = 4;

    private final RunnerTestbed bed = new RunnerTestbed();

    private record Claim(RunnerId runner, JobRequestPayload payload) {
    }

    @Test
    void each_of_500_pending_jobs_runs_exactly_once() throws Exception {
        int perPipeline = 50;
        for (int p = 0; p < JOBS / perPipeline; p++) {
            JobSpec[] specs = new JobSpec[perPipeline];
            for (int j = 0; j < perPipeline; j++) {
                specs[j] = JobSpec.simple("job-" + j, "test", 0);
            }
            bed.pipeline(List.of("test"), specs);
        }
        assertThat(bed.repos.jobs().findPending(JOBS + 1)).hasSize(JOBS);

        List<CreatedRunner> runners = new ArrayList<>();
        for (int i = 0; i < RUNNERS; i++) {
            runners.add(bed.untaggedRunner());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(RUNNERS);
        List<Future<List<Claim>>> results = new ArrayList<>();
        try {
            for (CreatedRunner runner : runners) {
                RequestJobUseCase ownInstance = bed.newRequestJobService();
                Callable<List<Claim>> poll = () -> {
                    start.await();
                    List<Claim> claims = new ArrayList<>();
                    while (true) {
                        JobRequestResult result = ownInstance.request(new JobRequest(runner.token(), null, null, null));
                        if (!(result instanceof Assigned assigned)) {
                            return claims;
                        }
                        claims.add(new Claim(runner.runner().id(), assigned.payload()));
                    }
                };
                results.add(pool.submit(poll));
            }
            start.countDown();
            List<Claim> all = new ArrayList<>();
            for (Future<List<Claim>> result : results) {
                all.addAll(result.get());
            }

            Set<Long> ids = new HashSet<>();
            Set<String> tokens = new HashSet<>();
            Map<RunnerId, Integer> perRunner = new HashMap<>();
            for (Claim claim : all) {
                assertThat(ids.add(claim.payload().id())).as("job %d handed out twice", claim.payload().id()).isTrue();
                assertThat(tokens.add(claim.payload().token())).isTrue();
                perRunner.merge(claim.runner(), 1, Integer::sum);
                Job stored = bed.job(JobId.of(claim.payload().id()));
                assertThat(stored.status()).isEqualTo(JobStatus.RUNNING);
                assertThat(stored.runnerId()).isEqualTo(claim.runner());
                assertThat(stored.tokenDigest()).isEqualTo(TestData.digest(claim.payload().token()));
            }
            assertThat(ids).hasSize(JOBS);
            assertThat(bed.repos.jobs().findPending(JOBS)).isEmpty();
            assertThat(perRunner.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(JOBS);
        } finally {
            pool.shutdownNow();
        }
    }
}
