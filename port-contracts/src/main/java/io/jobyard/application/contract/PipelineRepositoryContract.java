package io.jobyard.application.contract;

import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.PipelineRepository.Order;
import io.jobyard.application.port.out.PipelineRepository.PipelineFilter;
import io.jobyard.application.port.out.PipelineRepository.PipelineQuery;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.RepositoryUrl;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
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
    public void beforeShaAndRepositoryReadBackAndSurviveUpdates() {
        Pipeline given = data.pipelineRecord(project, "main", JobStatus.PENDING)
                .withSource("1".repeat(40), new RepositoryUrl("file:///srv/git/app.git"));
        Pipeline stored = pipelines.insert(given);
        assertThat(pipelines.findById(given.id())).contains(stored);
        assertThat(stored.beforeSha()).isEqualTo("1".repeat(40));
        assertThat(stored.repository()).isEqualTo(new RepositoryUrl("file:///srv/git/app.git"));

        Pipeline running = pipelines.update(stored.withStatus(JobStatus.RUNNING, TestData.T0.plusSeconds(5)));
        assertThat(pipelines.findById(given.id()).orElseThrow().beforeSha()).isEqualTo("1".repeat(40));
        assertThat(running.repository()).isEqualTo(stored.repository());
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
    public void latestSuccessfulIdsForRefsAnswersSeveralRefsAtOnce() {
        Pipeline main = data.pipeline(project, "main", JobStatus.SUCCESS);
        data.pipeline(project, "feature", JobStatus.FAILED);
        Pipeline tag = data.pipeline(project, "v1.0", JobStatus.SUCCESS);

        data.pipeline(project, "main", JobStatus.FAILED);
        Pipeline newerMain = data.pipeline(project, "main", JobStatus.SUCCESS);

        assertThat(pipelines.latestSuccessfulIdsForRefs(project.id(), List.of("main", "feature", "v1.0", "main")))
                .containsOnlyKeys("main", "v1.0")
                .containsEntry("main", newerMain.id())
                .containsEntry("v1.0", tag.id());
        assertThat(pipelines.latestSuccessfulIdsForRefs(project.id(), List.of("v1.0")))
                .containsExactly(java.util.Map.entry("v1.0", tag.id()));
        assertThat(main.id()).isNotEqualTo(newerMain.id());
        assertThat(pipelines.latestSuccessfulIdsForRefs(project.id(), List.of())).isEmpty();
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

    // ------------------------------------------------------------------------------------------------- search

    private Pipeline stored(String ref, boolean tag, JobStatus status, PipelineSource source, User user,
                            Instant created, Instant updated) {
        Pipeline p = data.pipelineRecord(project, ref, status);
        return pipelines.insert(new Pipeline(p.id(), p.iid(), p.projectId(), ref, tag, p.commit(), source, status,
                p.stages(), p.variables(), user == null ? null : user.id(), created, updated, null, null, 0));
    }

    private Pipeline stored(String ref, JobStatus status) {
        return stored(ref, false, status, PipelineSource.API, null, T0, T0);
    }

    private static PipelineQuery query(Set<JobStatus> statuses, String ref, String sha) {
        return new PipelineQuery(statuses, ref, sha, null, false, null, null, null, null, null, null, Order.ID,
                false);
    }

    private static PipelineQuery ordered(Order order, boolean ascending) {
        return new PipelineQuery(null, null, null, null, false, null, null, null, null, null, null, order,
                ascending);
    }

    private List<Pipeline> search(PipelineQuery query) {
        List<Pipeline> found = pipelines.search(project.id(), query, 0, 100);
        assertThat(pipelines.searchCount(project.id(), query)).isEqualTo(found.size());
        return found;
    }

    @Test
    public void searchWithoutFiltersIsEveryPipelineOfTheProjectNewestFirst() {
        Pipeline a = stored("main", JobStatus.SUCCESS);
        data.pipeline(data.project("other-" + TestData.unique()), "main");
        Pipeline b = stored("feature", JobStatus.FAILED);

        assertThat(search(PipelineQuery.ALL)).containsExactly(b, a);
    }

    @Test
    public void searchFiltersByStatusesRefShaSourceAndUser() {
        User max = data.user("max" + TestData.unique());
        Pipeline mainOk = stored("main", false, JobStatus.SUCCESS, PipelineSource.API, max, T0, T0);
        Pipeline mainFailed = stored("main", false, JobStatus.FAILED, PipelineSource.PUSH, null, T0, T0);
        Pipeline featureRunning = stored("feature", false, JobStatus.RUNNING, PipelineSource.API, max, T0, T0);

        assertThat(search(query(Set.of(JobStatus.SUCCESS, JobStatus.FAILED), null, null)))
                .containsExactly(mainFailed, mainOk);
        assertThat(search(query(null, "main", null))).containsExactly(mainFailed, mainOk);
        assertThat(search(query(null, null, featureRunning.sha()))).containsExactly(featureRunning);
        assertThat(search(query(Set.of(JobStatus.RUNNING), "main", null))).isEmpty();
        assertThat(search(new PipelineQuery(null, null, null, null, false, PipelineSource.PUSH, null, null, null,
                null, null, Order.ID, false))).containsExactly(mainFailed);
        assertThat(search(new PipelineQuery(null, null, null, null, false, null, max.id(), null, null, null, null,
                Order.ID, false))).containsExactly(featureRunning, mainOk);
    }

    /** GitLab's branches and tags scopes: the newest pipeline of each ref, then the other filters on those. */
    @Test
    public void latestPerRefKeepsTheNewestPipelineOfEachBranchOrTagBeforeOtherFilters() {
        Pipeline mainOk = stored("main", JobStatus.SUCCESS);
        Pipeline featureOk = stored("feature", JobStatus.SUCCESS);
        Pipeline mainFailed = stored("main", JobStatus.FAILED);
        Pipeline oldTag = stored("v1.0", true, JobStatus.SUCCESS, PipelineSource.PUSH, null, T0, T0);
        Pipeline newTag = stored("v1.0", true, JobStatus.FAILED, PipelineSource.PUSH, null, T0, T0);
        Pipeline tagNamedLikeBranch = stored("main", true, JobStatus.SUCCESS, PipelineSource.PUSH, null, T0, T0);

        PipelineQuery branches = new PipelineQuery(null, null, null, false, true, null, null, null, null, null, null,
                Order.ID, false);
        assertThat(search(branches)).containsExactly(mainFailed, featureOk);
        PipelineQuery tags = new PipelineQuery(null, null, null, true, true, null, null, null, null, null, null,
                Order.ID, false);
        assertThat(search(tags)).containsExactly(tagNamedLikeBranch, newTag);

        PipelineQuery succeededBranches = new PipelineQuery(Set.of(JobStatus.SUCCESS), null, null, false, true, null,
                null, null, null, null, null, Order.ID, false);
        assertThat(search(succeededBranches)).containsExactly(featureOk);
        assertThat(mainOk.id()).isLessThan(mainFailed.id());
        assertThat(oldTag.id()).isLessThan(newTag.id());
    }

    @Test
    public void timeBoundsAreInclusive() {
        Instant t1 = T0.plusSeconds(3600);
        Instant t2 = T0.plusSeconds(7200);
        Pipeline early = stored("main", false, JobStatus.SUCCESS, PipelineSource.API, null, T0, T0);
        Pipeline middle = stored("main", false, JobStatus.SUCCESS, PipelineSource.API, null, T0, t1);
        Pipeline late = stored("main", false, JobStatus.SUCCESS, PipelineSource.API, null, t1, t2);

        assertThat(search(new PipelineQuery(null, null, null, null, false, null, null, t1, t1, null, null, Order.ID,
                false))).containsExactly(middle);
        assertThat(search(new PipelineQuery(null, null, null, null, false, null, null, null, t1, null, null,
                Order.ID, false))).containsExactly(middle, early);
        assertThat(search(new PipelineQuery(null, null, null, null, false, null, null, null, null, t1, null,
                Order.ID, false))).containsExactly(late);
        assertThat(search(new PipelineQuery(null, null, null, null, false, null, null, null, null, null, T0,
                Order.ID, false))).containsExactly(middle, early);
    }

    @Test
    public void searchOrdersByEachColumnWithTheIdBreakingTies() {
        User low = data.user("low" + TestData.unique());
        User high = data.user("high" + TestData.unique());
        Instant t1 = T0.plusSeconds(60);
        Pipeline a = stored("b-ref", false, JobStatus.SUCCESS, PipelineSource.API, high, T0, t1);
        Pipeline b = stored("a-ref", false, JobStatus.CANCELED, PipelineSource.API, null, T0, T0);
        Pipeline c = stored("b-ref", false, JobStatus.FAILED, PipelineSource.API, low, T0, t1);
        Pipeline d = stored("c-ref", false, JobStatus.CREATED, PipelineSource.API, low, T0, T0);

        assertThat(search(ordered(Order.ID, true))).containsExactly(a, b, c, d);
        // statuses sort by name, as GitLab's string column does: canceled, created, failed, success
        assertThat(search(ordered(Order.STATUS, true))).containsExactly(b, d, c, a);
        assertThat(search(ordered(Order.STATUS, false))).containsExactly(a, c, d, b);
        assertThat(search(ordered(Order.REF, true))).containsExactly(b, a, c, d);
        assertThat(search(ordered(Order.REF, false))).containsExactly(d, c, a, b);
        assertThat(search(ordered(Order.UPDATED_AT, true))).containsExactly(b, d, a, c);
        assertThat(search(ordered(Order.UPDATED_AT, false))).containsExactly(c, a, d, b);
        // a pipeline without a user sorts last ascending and first descending, as PostgreSQL sorts NULL
        assertThat(search(ordered(Order.USER_ID, true))).containsExactly(c, d, a, b);
        assertThat(search(ordered(Order.USER_ID, false))).containsExactly(b, a, d, c);
    }

    @Test
    public void searchPagesInItsOrder() {
        Pipeline a = stored("c", JobStatus.SUCCESS);
        Pipeline b = stored("a", JobStatus.SUCCESS);
        Pipeline c = stored("b", JobStatus.SUCCESS);
        PipelineQuery byRef = ordered(Order.REF, true);

        assertThat(pipelines.search(project.id(), byRef, 0, 2)).containsExactly(b, c);
        assertThat(pipelines.search(project.id(), byRef, 2, 2)).containsExactly(a);
        assertThat(pipelines.search(project.id(), byRef, 3, 2)).isEmpty();
        assertThat(pipelines.searchCount(project.id(), byRef)).isEqualTo(3);
    }

    @Test
    public void keysetPagesWalkTheIdAndUpdatedAtOrdersBothWaysWithTheFilters() {
        User someone = data.user("keyset" + TestData.unique());
        Instant t1 = T0.plusSeconds(60);
        Pipeline a = stored("b-ref", false, JobStatus.SUCCESS, PipelineSource.API, someone, T0, t1);
        Pipeline b = stored("a-ref", false, JobStatus.CANCELED, PipelineSource.API, null, T0, T0);
        Pipeline c = stored("b-ref", false, JobStatus.FAILED, PipelineSource.API, someone, T0, t1);
        stored("c-ref", false, JobStatus.CREATED, PipelineSource.PUSH, null, T0, T0);
        for (Order order : List.of(Order.ID, Order.UPDATED_AT)) {
            for (boolean ascending : List.of(true, false)) {
                PipelineQuery query = ordered(order, ascending);
                List<Pipeline> walked = new ArrayList<>();
                SortKey after = null;
                while (true) {
                    List<Pipeline> page = pipelines.searchAfter(project.id(), query, after, 1);
                    walked.addAll(page);
                    if (page.isEmpty()) {
                        break;
                    }
                    Pipeline last = page.get(0);
                    after = new SortKey(order == Order.ID ? last.id().value()
                            : JobOrder.micros(last.updatedAt()), last.id().value());
                }
                assertThat(walked).as("%s %s", order, ascending).containsExactlyElementsOf(search(query));
            }
        }
        PipelineQuery apiOnly = new PipelineQuery(null, null, null, null, false, PipelineSource.API, null, null, null,
                null, null, Order.UPDATED_AT, false);
        assertThat(pipelines.searchAfter(project.id(), apiOnly, null, 10)).containsExactly(c, a, b);
        assertThat(pipelines.searchAfter(project.id(), apiOnly,
                new SortKey(JobOrder.micros(t1), c.id().value()), 10))
                .containsExactly(a, b);
    }
}
