package io.jobyard.application.contract;

import io.jobyard.application.port.out.Transactor;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link Transactor} has over the repositories of its store: what the work did commits together
 * or not at all, and nested calls join the outer transaction.
 */
public abstract class TransactorContract extends RepositoryContract {

    private Transactor transactor;
    private Project project;
    private Pipeline pipeline;

    @BeforeEach
    public void createPipeline() {
        transactor = repos.transactor();
        project = data.project("tx-" + TestData.unique());
        pipeline = data.pipeline(project, "main");
    }

    private static final class Boom extends RuntimeException {
    }

    @Test
    public void committedWorkIsVisibleAndItsResultReturned() {
        Job job = transactor.inTransaction(() -> data.job(pipeline, "a", JobStatus.PENDING));

        assertThat(repos.jobs().findById(job.id())).contains(job);
    }

    @Test
    public void failedWorkLeavesNoWriteBehindInAnyRepository() {
        Job existing = data.job(pipeline, "existing", JobStatus.PENDING);
        Job[] inserted = new Job[1];

        assertThatThrownBy(() -> transactor.inTransaction(() -> {
            inserted[0] = data.job(pipeline, "new", JobStatus.CREATED);
            repos.jobs().update(existing.withCoverage(50.0));
            repos.pipelines().update(pipeline.withStatus(JobStatus.RUNNING, T0.plusSeconds(1)));
            repos.projects().putMember(project.id(), data.user("u" + TestData.unique()).id(),
                    io.jobyard.domain.access.Role.DEVELOPER);
            throw new Boom();
        })).isInstanceOf(Boom.class);

        assertThat(repos.jobs().findById(inserted[0].id())).isEmpty();
        assertThat(repos.jobs().findById(existing.id())).contains(existing);
        assertThat(repos.pipelines().findById(pipeline.id())).contains(pipeline);
        assertThat(repos.projects().members(project.id())).isEmpty();
        assertThat(repos.users().count()).isZero();
    }

    @Test
    public void aLostOptimisticRaceRollsBackTheEarlierWritesOfTheTransaction() {
        Job a = data.job(pipeline, "a", JobStatus.PENDING);
        Job b = data.job(pipeline, "b", JobStatus.PENDING);
        repos.jobs().update(b.withCoverage(1.0));

        assertThatThrownBy(() -> transactor.run(() -> {
            repos.jobs().update(a.withCoverage(99.0));
            repos.jobs().update(b.withCoverage(99.0));
        })).isInstanceOf(StaleObjectException.class);

        assertThat(repos.jobs().findById(a.id())).contains(a);
    }

    @Test
    public void nestedCallsJoinTheOuterTransaction() {
        Job[] inner = new Job[1];

        assertThatThrownBy(() -> transactor.run(() -> {
            inner[0] = transactor.inTransaction(() -> data.job(pipeline, "inner", JobStatus.CREATED));
            throw new Boom();
        })).isInstanceOf(Boom.class);

        assertThat(repos.jobs().findById(inner[0].id())).isEmpty();
    }

    @Test
    public void nestedWorkCommitsWithTheOuterWork() {
        Job job = transactor.inTransaction(() -> {
            Job outer = data.job(pipeline, "outer", JobStatus.CREATED);
            transactor.run(() -> data.job(pipeline, "inner", JobStatus.CREATED));
            return outer;
        });

        assertThat(repos.jobs().findByPipeline(pipeline.id())).hasSize(2).contains(job);
    }

    @Test
    public void aTransactionCanFollowAFailedOne() {
        assertThatThrownBy(() -> transactor.run(() -> {
            data.job(pipeline, "lost", JobStatus.CREATED);
            throw new Boom();
        })).isInstanceOf(Boom.class);

        Job kept = transactor.inTransaction(() -> data.job(pipeline, "kept", JobStatus.CREATED));

        assertThat(repos.jobs().findByPipeline(pipeline.id())).containsExactly(kept);
    }
}
