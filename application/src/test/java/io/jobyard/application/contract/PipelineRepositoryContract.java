package io.jobyard.application.contract;

import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.PipelineRepository.PipelineFilter;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every {@link PipelineRepository} has. Extend it and supply the store. */
public abstract class PipelineRepositoryContract extends RepositoryContract {

    private PipelineRepository pipelines;
    private Project project;

    @BeforeEach
    public void createProject() {
        pipelines = repos.pipelines();
        project = data.project("pipelines-" + TestData.unique());
    }

    @Test
    public void nextIdGivesIncreasingIds() {
        PipelineId first = pipelines.nextId();
        assertThat(pipelines.nextId()).isGreaterThan(first);
    }

    @Test
    public void iidsStartAtOneAndGrowPerProject() {
        Project other = data.project("other-" + TestData.unique());

        long first = pipelines.nextIid(project.id());
        assertThat(first).isEqualTo(1);
        pipelines.insert(withIid(data.pipelineRecord(project, "main", JobStatus.CREATED), first));
        long second = pipelines.nextIid(project.id());
        assertThat(second).isGreaterThan(first);
        pipelines.insert(withIid(data.pipelineRecord(project, "main", JobStatus.CREATED), second));

        assertThat(pipelines.nextIid(other.id())).isEqualTo(1);
        assertThat(pipelines.nextIid(project.id())).isGreaterThan(second);
    }

    private static Pipeline withIid(Pipeline p, long iid) {
        return new Pipeline(p.id(), iid, p.projectId(), p.ref(), p.tag(), p.commit(), p.source(), p.status(),
                p.stages(), p.variables(), p.userId(), p.createdAt(), p.updatedAt(), p.startedAt(), p.finishedAt(),
                p.lockVersion());
    }

    @Test
    public void insertedPipelineReadsBackWithEveryField() {
        User user = data.user("pipeuser" + TestData.unique());
        Pipeline full = data.fullPipelineRecord(project, user);

        assertThat(pipelines.insert(full)).isEqualTo(full);
        assertThat(pipelines.findById(full.id())).contains(full);
    }

    @Test
    public void plainPipelineReadsBackWithItsNulls() {
        Pipeline plain = data.pipeline(project, "main");
        assertThat(pipelines.findById(plain.id())).contains(plain);
        assertThat(pipelines.findById(pipelines.nextId())).isEmpty();
    }

    @Test
    public void insertingAnExistingIdOrIidIsAConflict() {
        Pipeline stored = data.pipeline(project, "main");
        assertThatThrownBy(() -> pipelines.insert(withIid(stored, stored.iid() + 100)))
                .isInstanceOf(ConflictException.class);
        Pipeline sameIid = withIid(data.pipelineRecord(project, "main", JobStatus.CREATED), stored.iid());
        assertThatThrownBy(() -> pipelines.insert(sameIid)).isInstanceOf(ConflictException.class);
    }

    @Test
    public void sameIidInAnotherProjectIsFine() {
        Pipeline stored = data.pipeline(project, "main");
        Project other = data.project("other-" + TestData.unique());
        Pipeline sameIid = withIid(data.pipelineRecord(other, "main", JobStatus.CREATED), stored.iid());
        assertThat(pipelines.insert(sameIid)).isEqualTo(sameIid);
    }

    // ---------------------------------------------------------------------------------------- optimistic update

    @Test
    public void updateStoresThePipelineAndIncrementsItsLockVersion() {
        Pipeline stored = data.pipeline(project, "main");
        Pipeline running = stored.withStatus(JobStatus.RUNNING, T0.plusSeconds(4));

        Pipeline updated = pipelines.update(running);

        assertThat(updated).isEqualTo(running.withLockVersion(stored.lockVersion() + 1));
        assertThat(pipelines.findById(stored.id())).contains(updated);
        Pipeline again = pipelines.update(updated.withStatus(JobStatus.SUCCESS, T0.plusSeconds(9)));
        assertThat(again.lockVersion()).isEqualTo(stored.lockVersion() + 2);
        assertThat(again.finishedAt()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    public void updateFromAStaleReadFailsAndKeepsTheWinner() {
        Pipeline stored = data.pipeline(project, "main");
        Pipeline winner = pipelines.update(stored.withStatus(JobStatus.PENDING, T0.plusSeconds(1)));

        assertThatThrownBy(() -> pipelines.update(stored.withStatus(JobStatus.FAILED, T0.plusSeconds(2))))
                .isInstanceOf(StaleObjectException.class);
        assertThat(pipelines.findById(stored.id())).contains(winner);
    }

    @Test
    public void updateOfAPipelineNeverInsertedIsStale() {
        Pipeline ghost = data.pipelineRecord(project, "main", JobStatus.CREATED);
        assertThatThrownBy(() -> pipelines.update(ghost)).isInstanceOf(StaleObjectException.class);
        assertThat(pipelines.findById(ghost.id())).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------- lookups

    @Test
    public void findByIdsReturnsTheFoundPipelinesById() {
        Pipeline a = data.pipeline(project, "main");
        Pipeline b = data.pipeline(project, "feature");
        PipelineId unknown = pipelines.nextId();

        assertThat(pipelines.findByIds(List.of(a.id(), b.id(), unknown)))
                .containsOnlyKeys(a.id(), b.id())
                .containsEntry(a.id(), a)
                .containsEntry(b.id(), b);
        assertThat(pipelines.findByIds(List.of())).isEmpty();
    }

    @Test
    public void latestSuccessfulForRefIsTheNewestSuccessfulPipelineOfThatRef() {
        data.pipeline(project, "main", JobStatus.SUCCESS);
        Pipeline latestSuccess = data.pipeline(project, "main", JobStatus.SUCCESS);
        data.pipeline(project, "main", JobStatus.FAILED);
        data.pipeline(project, "main", JobStatus.RUNNING);
        data.pipeline(project, "feature", JobStatus.SUCCESS);
        data.pipeline(data.project("other-" + TestData.unique()), "main", JobStatus.SUCCESS);

        assertThat(pipelines.latestSuccessfulForRef(project.id(), "main")).contains(latestSuccess);
        assertThat(pipelines.latestSuccessfulForRef(project.id(), "none")).isEmpty();
    }

    @Test
    public void latestSuccessfulForRefsAnswersSeveralRefsAtOnce() {
        Pipeline main = data.pipeline(project, "main", JobStatus.SUCCESS);
        data.pipeline(project, "feature", JobStatus.FAILED);
        Pipeline tag = data.pipeline(project, "v1.0", JobStatus.SUCCESS);

        assertThat(pipelines.latestSuccessfulForRefs(project.id(), List.of("main", "feature", "v1.0", "main")))
                .containsOnlyKeys("main", "v1.0")
                .containsEntry("main", main)
                .containsEntry("v1.0", tag);
        assertThat(pipelines.latestSuccessfulForRefs(project.id(), List.of())).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ listings

    @Test
    public void listIsNewestFirstAndOnlyOfTheProject() {
        Pipeline a = data.pipeline(project, "main");
        Pipeline b = data.pipeline(project, "feature");
        data.pipeline(data.project("other-" + TestData.unique()), "main");
        Pipeline c = data.pipeline(project, "main");

        assertThat(pipelines.list(project.id(), PipelineFilter.ALL, 0, 10)).containsExactly(c, b, a);
        assertThat(pipelines.count(project.id(), PipelineFilter.ALL)).isEqualTo(3);
    }

    @Test
    public void listPagesByOffsetAndLimit() {
        Pipeline a = data.pipeline(project, "main");
        Pipeline b = data.pipeline(project, "main");
        Pipeline c = data.pipeline(project, "main");

        assertThat(pipelines.list(project.id(), PipelineFilter.ALL, 0, 2)).containsExactly(c, b);
        assertThat(pipelines.list(project.id(), PipelineFilter.ALL, 2, 2)).containsExactly(a);
        assertThat(pipelines.list(project.id(), PipelineFilter.ALL, 3, 2)).isEmpty();
    }

    @Test
    public void listAndCountFilterByStatusesRefAndSha() {
        Pipeline mainOk = data.pipeline(project, "main", JobStatus.SUCCESS);
        Pipeline mainFailed = data.pipeline(project, "main", JobStatus.FAILED);
        Pipeline featureOk = data.pipeline(project, "feature", JobStatus.SUCCESS);

        PipelineFilter succeeded = new PipelineFilter(Set.of(JobStatus.SUCCESS), null, null);
        assertThat(pipelines.list(project.id(), succeeded, 0, 10)).containsExactly(featureOk, mainOk);
        assertThat(pipelines.count(project.id(), succeeded)).isEqualTo(2);

        PipelineFilter main = new PipelineFilter(null, "main", null);
        assertThat(pipelines.list(project.id(), main, 0, 10)).containsExactly(mainFailed, mainOk);
        assertThat(pipelines.count(project.id(), main)).isEqualTo(2);

        PipelineFilter mainSucceeded = new PipelineFilter(Set.of(JobStatus.SUCCESS), "main", null);
        assertThat(pipelines.list(project.id(), mainSucceeded, 0, 10)).containsExactly(mainOk);

        PipelineFilter bySha = new PipelineFilter(null, null, mainFailed.sha());
        assertThat(pipelines.list(project.id(), bySha, 0, 10)).containsExactly(mainFailed);
        assertThat(pipelines.count(project.id(), bySha)).isEqualTo(1);

        PipelineFilter nothing = new PipelineFilter(Set.of(JobStatus.CANCELED), null, null);
        assertThat(pipelines.list(project.id(), nothing, 0, 10)).isEmpty();
        assertThat(pipelines.count(project.id(), nothing)).isZero();
    }
}
