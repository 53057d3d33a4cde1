package io.jobyard.application.service;

import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryRepositories;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.jobyard.application.contract.TestData.withTimesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobTransitionRecorderTest {
    private final Repositories repos = InMemoryRepositories.create();
    private final TestData data = new TestData(repos);
    private final List<String> told = new ArrayList<>();
    private final JobTransitionRecorder recorder = new JobTransitionRecorder(repos.jobs(), repos.transactor(),
            (from, to) -> told.add((from == null ? "new" : from.wireName()) + "->" + to.wireName()));
    private final JobRepository jobs = recorder.jobs();
    private final Transactor transactor = recorder.transactor();
    private final Pipeline pipeline = data.pipeline(data.project("app"), "main");

    @Test
    void insertsAndStatusChangesOutsideTransactionsAreToldAtOnce() {
        Job created = jobs.insert(withTimesOf(data.jobBuilder(pipeline, "build"), JobStatus.CREATED).build());
        assertThat(told).containsExactly("new->created");

        jobs.update(withTimesOf(created.toBuilder(), JobStatus.PENDING).build());
        assertThat(told).containsExactly("new->created", "created->pending");
    }

    @Test
    void anUpdateThatKeepsTheStatusIsNoTransition() {
        Job running = data.job(pipeline, "build", JobStatus.RUNNING);

        jobs.update(running.withCoverage(12.5));

        assertThat(told).isEmpty();
    }

    @Test
    void transitionsInsideATransactionAreToldOnlyAfterTheOutermostCommit() {
        Job pending = data.job(pipeline, "build", JobStatus.PENDING);

        transactor.run(() -> {
            transactor.run(() -> jobs.update(withTimesOf(pending.toBuilder(), JobStatus.RUNNING).build()));
            assertThat(told).isEmpty();
        });

        assertThat(told).containsExactly("pending->running");
    }

    @Test
    void aRolledBackTransactionTellsNothing() {
        Job pending = data.job(pipeline, "build", JobStatus.PENDING);

        assertThatThrownBy(() -> transactor.run(() -> {
            jobs.update(withTimesOf(pending.toBuilder(), JobStatus.CANCELED).build());
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(told).isEmpty();
        assertThat(repos.jobs().findById(pending.id()).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        transactor.run(() -> jobs.update(withTimesOf(pending.toBuilder(), JobStatus.RUNNING).build()));
        assertThat(told).containsExactly("pending->running");
    }

    @Test
    void aClaimIsPendingToRunning() {
        data.job(pipeline, "build", JobStatus.PENDING);

        assertThat(jobs.claimPending(job -> true, job -> withTimesOf(job.toBuilder(), JobStatus.RUNNING).build()))
                .isPresent();

        assertThat(told).containsExactly("pending->running");
        assertThat(jobs.countPending()).isZero();
    }

    @Test
    void aFailingListenerDoesNotFailTheChange() {
        JobTransitionRecorder failing = new JobTransitionRecorder(repos.jobs(), repos.transactor(), (from, to) -> {
            throw new IllegalStateException("metrics down");
        });
        Job pending = data.job(pipeline, "build", JobStatus.PENDING);

        Job stored = failing.jobs().update(withTimesOf(pending.toBuilder(), JobStatus.RUNNING).build());

        assertThat(stored.status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void readingReachesTheWrappedTransactor() {
        List<String> calls = new ArrayList<>();
        Transactor wrapped = new Transactor() {
            @Override
            public <T> T inTransaction(java.util.function.Supplier<T> work) {
                return work.get();
            }

            @Override
            public <T> T reading(java.util.function.Supplier<T> work) {
                calls.add("reading");
                return work.get();
            }
        };
        JobTransitionRecorder recording = new JobTransitionRecorder(repos.jobs(), wrapped, (from, to) -> { });

        assertThat(recording.transactor().reading(() -> 42)).isEqualTo(42);
        assertThat(calls).containsExactly("reading");
    }
}
