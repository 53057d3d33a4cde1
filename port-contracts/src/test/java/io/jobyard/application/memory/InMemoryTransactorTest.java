package io.jobyard.application.memory;

import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TransactorContract;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryTransactorTest extends TransactorContract {
    @Override
    protected Repositories repositories() {
        return InMemoryRepositories.create();
    }

    @Test
    void concurrentReadModifyWriteTransactionsLoseNoUpdate() throws Exception {
        Pipeline pipeline = data.pipeline(data.project("concurrent"), "main");
        Job job = data.job(pipeline, "counter", JobStatus.RUNNING);
        OptimisticRetry retry = new OptimisticRetry(repos.transactor());
        int threads = 4;
        int incrementsEach = 200;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < incrementsEach; i++) {
                        retry.run(() -> {
                            Job current = repos.jobs().findById(job.id()).orElseThrow();
                            double count = current.coverage() == null ? 0 : current.coverage();
                            return repos.jobs().update(current.withCoverage(count + 1));
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        Job last = repos.jobs().findById(job.id()).orElseThrow();
        assertThat(last.coverage()).isEqualTo((double) threads * incrementsEach);
        assertThat(last.lockVersion()).isEqualTo(job.lockVersion() + threads * incrementsEach);
    }
}
