package io.jobyard.application.contract;

import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.RetryPolicy;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job search part of the {@link JobRepository} contract ({@link JobRepository#search}, {@link JobRepository#count}):
 * every filter alone and together, every order in both directions with ties broken by id, keyset and offset pages.
 * Each store runs it beside {@link JobRepositoryContract} (apart, because its fixture holds pending jobs, which the
 * contract's queue tests count across projects).
 *
 * <p>The fixture: one project with three pipelines and nine jobs whose values collide on purpose (two jobs created at
 * the same instant, two finished at the same instant, two with the same duration, unfinished jobs), and a second
 * project whose jobs match every filter and must never appear.
 */
public abstract class JobSearchContract extends RepositoryContract {
    private JobRepository jobs;
    private Project project;
    private Pipeline main1;
    private Pipeline main2;
    private Pipeline feature;
    private User ada;
    private User bob;
    private Runner small;
    private Runner large;
    private Job build1;
    private Job rspec1;
    private Job rspec2;
    private Job build2;
    private Job rspec1b;
    private Job deploy;
    private Job buildRetried;
    private Job buildRetry;
    private Job lint;
    private List<Job> all;

    @BeforeEach
    public void createSearchFixture() {
        jobs = repos.jobs();
        project = data.project("search-" + TestData.unique());
        ada = data.user("ada" + TestData.unique());
        bob = data.user("bob" + TestData.unique());
        small = data.runner("small", true);
        large = data.runner("large", true);
        main1 = pipeline(project, "main", PipelineSource.PUSH);
        main2 = pipeline(project, "main", PipelineSource.SCHEDULE);
        feature = pipeline(project, "feature/x", PipelineSource.WEB);

        build1 = job(main1, "build", "build", JobStatus.SUCCESS, ada, small, 0, 10, 70, List.of("docker"), null);
        rspec1 = job(main1, "rspec 1/2", "test", JobStatus.FAILED, ada, large, 1, 20, 200,
                List.of("docker", "linux"), FailureReason.SCRIPT_FAILURE);
        rspec2 = job(main1, "rspec 2/2", "test", JobStatus.SUCCESS, bob, small, 1, 20, 50, List.of("linux"), null);
        build2 = job(main2, "build", "build", JobStatus.RUNNING, bob, large, 100, 110, -1, List.of("docker"), null);
        rspec1b = job(main2, "rspec 1/2", "test", JobStatus.PENDING, ada, null, 100, -1, -1,
                List.of("docker", "linux"), null);
        deploy = job(feature, "deploy", "deploy", JobStatus.FAILED, bob, small, 200, 210, 270, List.of(),
                FailureReason.STUCK_OR_TIMEOUT_FAILURE);
        buildRetried = data.insert(builder(feature, "build", "build", JobStatus.SUCCESS, ada, large, 200, 205, 270,
                List.of("docker"), null).retried(true));
        buildRetry = job(feature, "build", "build", JobStatus.SUCCESS, ada, large, 300, 305, 400, List.of("docker"),
                null);
        lint = job(feature, "lint_100%", "test", JobStatus.CANCELED, null, null, 300, -1, 301, List.of(), null);
        all = List.of(build1, rspec1, rspec2, build2, rspec1b, deploy, buildRetried, buildRetry, lint);

        data.artifact(build1, ArtifactFileType.ARCHIVE);
        data.artifact(rspec1, ArtifactFileType.JUNIT);
        data.artifact(rspec1, ArtifactFileType.TRACE);
        data.artifact(rspec2, ArtifactFileType.TRACE);
        data.artifact(buildRetried, ArtifactFileType.ARCHIVE);

        // A second project whose jobs pass every filter above: none of them may ever show.
        Project other = data.project("search-other-" + TestData.unique());
        Pipeline otherMain = pipeline(other, "main", PipelineSource.PUSH);
        Job foreign = job(otherMain, "build", "build", JobStatus.SUCCESS, ada, small, 0, 10, 70, List.of("docker"),
                null);
        data.artifact(foreign, ArtifactFileType.ARCHIVE);
    }

    private Pipeline pipeline(Project owner, String ref, PipelineSource source) {
        Pipeline record = data.pipelineRecord(owner, ref, JobStatus.RUNNING);
        return repos.pipelines().insert(new Pipeline(record.id(), record.iid(), record.projectId(), record.ref(),
                record.tag(), record.commit(), source, record.status(), record.stages(), record.variables(),
                record.userId(), record.createdAt(), record.updatedAt(), record.startedAt(), record.finishedAt(), 0));
    }

    /** Times are seconds after {@link TestData#T0}; -1 leaves a time unset. Updated = finished, else started, else created. */
    private Job job(Pipeline pipeline, String name, String stage, JobStatus status, User user, Runner runner,
                    int created, int started, int finished, List<String> tags, FailureReason reason) {
        return data.insert(builder(pipeline, name, stage, status, user, runner, created, started, finished, tags,
                reason));
    }

    private Job.Builder builder(Pipeline pipeline, String name, String stage, JobStatus status, User user,
                                Runner runner, int created, int started, int finished, List<String> tags,
                                FailureReason reason) {
        JobSpec spec = new JobSpec(name, stage, 1, WhenCondition.ON_SUCCESS, null, false, false, List.of(), tags,
                List.of(), null, RetryPolicy.NONE, false, JobExecution.NONE);
        int updated = finished >= 0 ? finished : started >= 0 ? started : created;
        return data.jobBuilder(pipeline, name).spec(spec).status(status)
                .userId(user == null ? null : user.id())
                .runnerId(runner == null ? null : runner.id())
                .failureReason(reason)
                .createdAt(at(created))
                .startedAt(started < 0 ? null : at(started))
                .finishedAt(finished < 0 ? null : at(finished))
                .updatedAt(at(updated));
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private List<JobId> search(UnaryOperator<JobFilter.Builder> filter) {
        return ids(jobs.search(project.id(), filter.apply(JobFilter.builder()).build(), JobOrdering.NEWEST_FIRST,
                null, 0, 100));
    }

    private static List<JobId> ids(List<Job> list) {
        return list.stream().map(Job::id).toList();
    }

    private static List<JobId> newestFirst(Job... expected) {
        return List.of(expected).stream().sorted(Comparator.comparing(Job::id).reversed()).map(Job::id).toList();
    }

    // -------------------------------------------------------------------------------------------------- filters

    @Test
    public void withoutFiltersEveryJobOfTheProjectNewestFirst() {
        assertThat(search(f -> f)).containsExactlyElementsOf(newestFirst(all.toArray(Job[]::new)));
    }

    @Test
    public void filtersByStatusesNameStageAndRef() {
        assertThat(search(f -> f.statuses(Set.of(JobStatus.FAILED, JobStatus.RUNNING))))
                .containsExactlyElementsOf(newestFirst(rspec1, build2, deploy));
        assertThat(search(f -> f.name("build"))).containsExactlyElementsOf(
                newestFirst(build1, build2, buildRetried, buildRetry));
        assertThat(search(f -> f.stage("test"))).containsExactlyElementsOf(newestFirst(rspec1, rspec2, rspec1b, lint));
        assertThat(search(f -> f.ref("feature/x"))).containsExactlyElementsOf(
                newestFirst(deploy, buildRetried, buildRetry, lint));
        assertThat(search(f -> f.ref("feature"))).isEmpty();
    }

    @Test
    public void nameGlobsMatchWholeNamesWithStarsAsTheOnlyWildcard() {
        assertThat(search(f -> f.name("rspec*"))).containsExactlyElementsOf(newestFirst(rspec1, rspec2, rspec1b));
        assertThat(search(f -> f.name("*2/2"))).containsExactlyElementsOf(newestFirst(rspec2));
        assertThat(search(f -> f.name("r*c*1*"))).containsExactlyElementsOf(newestFirst(rspec1, rspec1b));
        assertThat(search(f -> f.name("*"))).hasSize(all.size());
        // SQL's own wildcards are plain characters here
        assertThat(search(f -> f.name("lint_1*"))).containsExactly(lint.id());
        assertThat(search(f -> f.name("lint_100%"))).containsExactly(lint.id());
        assertThat(search(f -> f.name("lint%"))).isEmpty();
        assertThat(search(f -> f.name("lint_"))).isEmpty();
        assertThat(search(f -> f.name("l_nt*"))).isEmpty();
        assertThat(search(f -> f.name("rspec"))).isEmpty();
        assertThat(search(f -> f.name("BUILD"))).isEmpty();
    }

    @Test
    public void filtersByPipelineShaAndSource() {
        assertThat(search(f -> f.pipeline(main2.id()))).containsExactlyElementsOf(newestFirst(build2, rspec1b));
        assertThat(search(f -> f.sha(main1.sha()))).containsExactlyElementsOf(newestFirst(build1, rspec1, rspec2));
        assertThat(search(f -> f.sha(TestData.sha(999_999)))).isEmpty();
        assertThat(search(f -> f.source(PipelineSource.SCHEDULE))).containsExactlyElementsOf(
                newestFirst(build2, rspec1b));
        assertThat(search(f -> f.source(PipelineSource.API))).isEmpty();
    }

    @Test
    public void filtersByUserRunnerAndFailureReason() {
        assertThat(search(f -> f.user(bob.id()))).containsExactlyElementsOf(newestFirst(rspec2, build2, deploy));
        assertThat(search(f -> f.runner(large.id()))).containsExactlyElementsOf(
                newestFirst(rspec1, build2, buildRetried, buildRetry));
        assertThat(search(f -> f.failureReason(FailureReason.STUCK_OR_TIMEOUT_FAILURE))).containsExactly(deploy.id());
        assertThat(search(f -> f.failureReason(FailureReason.API_FAILURE))).isEmpty();
    }

    @Test
    public void filtersByTag() {
        assertThat(search(f -> f.tag("linux"))).containsExactlyElementsOf(newestFirst(rspec1, rspec2, rspec1b));
        assertThat(search(f -> f.tag("docker"))).containsExactlyElementsOf(
                newestFirst(build1, rspec1, build2, rspec1b, buildRetried, buildRetry));
        assertThat(search(f -> f.tag("dock"))).isEmpty();
    }

    @Test
    public void filtersByArtifacts() {
        assertThat(search(f -> f.withArtifacts(true))).containsExactlyElementsOf(
                newestFirst(build1, rspec1, buildRetried));
        // a log alone is not an artifact here
        assertThat(search(f -> f.withArtifacts(false))).containsExactlyElementsOf(
                newestFirst(rspec2, build2, rspec1b, deploy, buildRetry, lint));
        assertThat(search(f -> f.artifactType(ArtifactFileType.JUNIT))).containsExactly(rspec1.id());
        assertThat(search(f -> f.artifactType(ArtifactFileType.TRACE))).containsExactlyElementsOf(
                newestFirst(rspec1, rspec2));
        assertThat(search(f -> f.artifactType(ArtifactFileType.ARCHIVE).withArtifacts(false))).isEmpty();
    }

    @Test
    public void timeBoundsAreInclusiveAndFinishBoundsSkipUnfinishedJobs() {
        assertThat(search(f -> f.createdAfter(at(200)))).containsExactlyElementsOf(
                newestFirst(deploy, buildRetried, buildRetry, lint));
        assertThat(search(f -> f.createdBefore(at(1)))).containsExactlyElementsOf(newestFirst(build1, rspec1, rspec2));
        assertThat(search(f -> f.createdAfter(at(1)).createdBefore(at(100)))).containsExactlyElementsOf(
                newestFirst(rspec1, rspec2, build2, rspec1b));
        assertThat(search(f -> f.updatedAfter(at(270)))).containsExactlyElementsOf(
                newestFirst(deploy, buildRetried, buildRetry, lint));
        assertThat(search(f -> f.updatedBefore(at(100)))).containsExactlyElementsOf(
                newestFirst(build1, rspec2, rspec1b));
        assertThat(search(f -> f.finishedAfter(at(270)))).containsExactlyElementsOf(
                newestFirst(deploy, buildRetried, buildRetry, lint));
        assertThat(search(f -> f.finishedBefore(at(200)))).containsExactlyElementsOf(
                newestFirst(build1, rspec1, rspec2));
        assertThat(search(f -> f.finishedAfter(at(0)))).doesNotContain(build2.id(), rspec1b.id());
    }

    @Test
    public void filtersCombineWithAnd() {
        assertThat(search(f -> f.name("build").ref("main"))).containsExactlyElementsOf(newestFirst(build1, build2));
        assertThat(search(f -> f.statuses(Set.of(JobStatus.SUCCESS)).ref("feature/x")))
                .containsExactlyElementsOf(newestFirst(buildRetried, buildRetry));
        assertThat(search(f -> f.stage("test").finishedAfter(at(100)))).containsExactlyElementsOf(
                newestFirst(rspec1, lint));
        assertThat(search(f -> f.user(ada.id()).createdAfter(at(100)))).containsExactlyElementsOf(
                newestFirst(rspec1b, buildRetried, buildRetry));
        assertThat(search(f -> f.name("build").tag("docker").source(PipelineSource.WEB).withArtifacts(true)
                .runner(large.id()).user(ada.id()))).containsExactly(buildRetried.id());
        assertThat(search(f -> f.name("build").stage("test"))).isEmpty();
    }

    @Test
    public void leavingOutRetriedJobsKeepsTheLatestOfEachName() {
        assertThat(search(f -> f.pipeline(feature.id()).includeRetried(false)))
                .containsExactlyElementsOf(newestFirst(deploy, buildRetry, lint));
        assertThat(search(f -> f.pipeline(feature.id()))).contains(buildRetried.id());
    }

    // --------------------------------------------------------------------------------------------------- orders

    /** Every order in both directions is the order of {@link JobOrdering#keyOf}, ties broken by id. */
    @Test
    public void everyOrderSortsByItsKeyThenById() {
        for (JobOrder order : JobOrder.values()) {
            for (boolean ascending : List.of(true, false)) {
                JobOrdering ordering = new JobOrdering(order, ascending);
                assertThat(ids(jobs.search(project.id(), JobFilter.ALL, ordering, null, 0, 100)))
                        .as("%s", ordering)
                        .containsExactlyElementsOf(expected(ordering, all));
            }
        }
    }

    @Test
    public void unfinishedJobsSortLastInBothDirections() {
        JobOrdering finishedAscending = new JobOrdering(JobOrder.FINISHED_AT, true);
        assertThat(ids(jobs.search(project.id(), JobFilter.ALL, finishedAscending, null, 0, 100)))
                .containsExactly(rspec2.id(), build1.id(), rspec1.id(), deploy.id(), buildRetried.id(), lint.id(),
                        buildRetry.id(), build2.id(), rspec1b.id());
        JobOrdering durationDescending = new JobOrdering(JobOrder.DURATION, false);
        // 180 s, 95, 65, 60 (a tie: higher id first), 60, 30, then the jobs without a duration, higher id first
        assertThat(ids(jobs.search(project.id(), JobFilter.ALL, durationDescending, null, 0, 100)))
                .containsExactly(rspec1.id(), buildRetry.id(), buildRetried.id(), deploy.id(), build1.id(),
                        rspec2.id(), lint.id(), rspec1b.id(), build2.id());
        JobOrdering finishedDescending = new JobOrdering(JobOrder.FINISHED_AT, false);
        assertThat(ids(jobs.search(project.id(), JobFilter.ALL, finishedDescending, null, 0, 100)))
                .containsExactly(buildRetry.id(), lint.id(), buildRetried.id(), deploy.id(), rspec1.id(), build1.id(),
                        rspec2.id(), rspec1b.id(), build2.id());
    }

    /**
     * Creation times need not grow with the id (a job whose creation read the clock earlier may get the later id): a
     * creation bound listed by id, or by another order, holds exactly, its bound included, whatever the id.
     */
    @Test
    public void creationBoundsHoldWhereCreationTimesDoNotFollowTheIds() {
        Job early = job(feature, "early", "test", JobStatus.SUCCESS, ada, small, 0, 1, 2, List.of(), null);
        Job late = job(main1, "late", "test", JobStatus.SUCCESS, ada, small, 300, 301, 302, List.of(), null);
        Map<JobFilter, List<Job>> cases = Map.of(
                JobFilter.builder().createdBefore(at(0)).build(), List.of(build1, early),
                JobFilter.builder().createdAfter(at(300)).build(), List.of(buildRetry, lint, late),
                JobFilter.builder().createdAfter(at(1)).createdBefore(at(100)).build(),
                List.of(rspec1, rspec2, build2, rspec1b));
        cases.forEach((filter, matching) -> {
            for (JobOrder order : JobOrder.values()) {
                for (boolean ascending : List.of(true, false)) {
                    JobOrdering ordering = new JobOrdering(order, ascending);
                    List<JobId> expected = expected(ordering, matching);
                    assertThat(ids(jobs.search(project.id(), filter, ordering, null, 0, 100)))
                            .as("%s %s", filter, ordering).containsExactlyElementsOf(expected);
                    assertThat(walk(filter, ordering, 1)).as("%s %s by pages", filter, ordering)
                            .containsExactlyElementsOf(expected);
                }
            }
        });
    }

    /**
     * Unfinished statuses by finish time or duration: the jobs share the value that sorts last, so they come in id
     * order (not by creation), page by page, and a position at another value (a finished job's, which comes before)
     * starts at the beginning. A job of such a status that has a finish time after all sorts by it.
     */
    @Test
    public void unfinishedStatusesInFinishOrdersSortByIdAndByTheirFinishTimeIfTheyHaveOne() {
        JobFilter unfinished = JobFilter.builder().statuses(Set.of(JobStatus.PENDING, JobStatus.RUNNING)).build();
        // created before build2 and rspec1b, but with a higher id: a tie in both orders, broken by the id
        Job queued = job(feature, "queued", "test", JobStatus.PENDING, ada, null, 50, -1, -1, List.of(), null);
        assertUnfinishedOrders(unfinished, List.of(build2, rspec1b, queued));
        Job finishedRunning = job(main2, "odd", "test", JobStatus.RUNNING, bob, large, 100, 110, 150, List.of(), null);
        assertUnfinishedOrders(unfinished, List.of(build2, rspec1b, queued, finishedRunning));
    }

    private void assertUnfinishedOrders(JobFilter filter, List<Job> matching) {
        for (JobOrder order : List.of(JobOrder.FINISHED_AT, JobOrder.DURATION)) {
            for (boolean ascending : List.of(true, false)) {
                JobOrdering ordering = new JobOrdering(order, ascending);
                List<JobId> expected = expected(ordering, matching);
                assertThat(ids(jobs.search(project.id(), filter, ordering, null, 0, 100))).as("%s", ordering)
                        .containsExactlyElementsOf(expected);
                assertThat(walk(filter, ordering, 1)).as("%s by pages", ordering).containsExactlyElementsOf(expected);
                assertThat(ids(jobs.search(project.id(), filter, ordering, null, 1, 2))).as("%s offset", ordering)
                        .containsExactlyElementsOf(expected.subList(1, 3));
                SortKey finished = key(ordering, build1);
                List<JobId> afterFinished = expected(ordering, matching.stream()
                        .filter(job -> comesAfter(ordering, key(ordering, job), finished)).toList());
                assertThat(ids(jobs.search(project.id(), filter, ordering, finished, 0, 100)))
                        .as("%s after a finished job", ordering).containsExactlyElementsOf(afterFinished);
            }
        }
    }

    @Test
    public void keysetPagesWalkEveryOrderWithoutOverlapOrGap() {
        for (JobOrder order : JobOrder.values()) {
            for (boolean ascending : List.of(true, false)) {
                JobOrdering ordering = new JobOrdering(order, ascending);
                assertThat(walk(JobFilter.ALL, ordering, 2)).as("%s", ordering)
                        .containsExactlyElementsOf(expected(ordering, all));
            }
        }
    }

    @Test
    public void keysetPagesApplyTheFilters() {
        JobFilter dockerTests = JobFilter.builder().tag("docker").stage("test").build();
        JobOrdering ordering = new JobOrdering(JobOrder.CREATED_AT, true);
        assertThat(walk(dockerTests, ordering, 1)).containsExactly(rspec1.id(), rspec1b.id());
    }

    /** Each filter, and some pairs, paged one job at a time in every order: the pages make up the whole list. */
    @Test
    public void keysetPagesOfEachFilterMakeUpItsWholeList() {
        List<JobFilter> filters = List.of(
                JobFilter.builder().statuses(Set.of(JobStatus.SUCCESS)).build(),
                JobFilter.builder().name("build").build(),
                JobFilter.builder().name("rspec*").build(),
                JobFilter.builder().stage("test").build(),
                JobFilter.builder().ref("main").build(),
                JobFilter.builder().sha(main1.sha()).build(),
                JobFilter.builder().pipeline(feature.id()).includeRetried(false).build(),
                JobFilter.builder().user(ada.id()).build(),
                JobFilter.builder().runner(large.id()).build(),
                JobFilter.builder().source(PipelineSource.PUSH).build(),
                JobFilter.builder().tag("docker").build(),
                JobFilter.builder().withArtifacts(true).build(),
                JobFilter.builder().artifactType(ArtifactFileType.TRACE).build(),
                JobFilter.builder().createdAfter(at(1)).build(),
                JobFilter.builder().finishedBefore(at(300)).build(),
                JobFilter.builder().name("build").ref("main").build(),
                JobFilter.builder().tag("docker").user(ada.id()).build(),
                JobFilter.builder().stage("test").finishedAfter(at(20)).build());
        for (JobFilter filter : filters) {
            for (JobOrder order : JobOrder.values()) {
                for (boolean ascending : List.of(true, false)) {
                    JobOrdering ordering = new JobOrdering(order, ascending);
                    List<JobId> whole = ids(jobs.search(project.id(), filter, ordering, null, 0, 100));
                    assertThat(walk(filter, ordering, 1)).as("%s %s", filter, ordering)
                            .containsExactlyElementsOf(whole);
                    assertThat(whole).as("%s %s", filter, ordering).hasSize((int) jobs.count(project.id(), filter));
                }
            }
        }
    }

    @Test
    public void aKeysetPageStartsAfterItsPositionEvenWhenJobsAreAddedBefore() {
        JobOrdering ordering = new JobOrdering(JobOrder.UPDATED_AT, true);
        List<Job> first = jobs.search(project.id(), JobFilter.ALL, ordering, null, 0, 3);
        Job last = first.get(first.size() - 1);
        // a job changed "in the past" of the position is not on later pages; one changed later is
        job(main1, "late", "test", JobStatus.SUCCESS, null, null, 0, 0, 0, List.of(), null);
        Job changedLater = job(main1, "later", "test", JobStatus.SUCCESS, null, null, 0, 0, 500, List.of(), null);
        List<Job> rest = jobs.search(project.id(), JobFilter.ALL, ordering, key(ordering, last), 0, 100);
        assertThat(ids(rest)).doesNotContainAnyElementsOf(ids(first));
        assertThat(ids(rest).get(ids(rest).size() - 1)).isEqualTo(changedLater.id());
        assertThat(rest).hasSize(all.size() - 3 + 1);
    }

    @Test
    public void offsetPagesAndCountsFollowTheFilterAndOrder() {
        JobFilter docker = JobFilter.builder().tag("docker").build();
        JobOrdering ordering = new JobOrdering(JobOrder.DURATION, true);
        List<JobId> expected = expected(ordering, all.stream().filter(j -> j.spec().tags().contains("docker")).toList());
        assertThat(ids(jobs.search(project.id(), docker, ordering, null, 2, 3)))
                .containsExactlyElementsOf(expected.subList(2, 5));
        assertThat(jobs.count(project.id(), docker)).isEqualTo(6);
        assertThat(jobs.count(project.id(), JobFilter.ALL)).isEqualTo(all.size());
        assertThat(jobs.count(project.id(), JobFilter.builder().pipeline(feature.id()).includeRetried(false).build()))
                .isEqualTo(3);
        assertThat(jobs.count(project.id(), JobFilter.builder().source(PipelineSource.API).build())).isZero();
    }

    private List<JobId> walk(JobFilter filter, JobOrdering ordering, int perPage) {
        List<JobId> seen = new ArrayList<>();
        SortKey after = null;
        for (int page = 0; page < 50; page++) {
            List<Job> rows = jobs.search(project.id(), filter, ordering, after, 0, perPage);
            seen.addAll(ids(rows));
            if (rows.size() < perPage) {
                return seen;
            }
            after = key(ordering, rows.get(rows.size() - 1));
        }
        throw new AssertionError("keyset pages never ended: " + seen);
    }

    private static SortKey key(JobOrdering ordering, Job job) {
        return new SortKey(ordering.keyOf(job), job.id().value());
    }

    private static boolean comesAfter(JobOrdering ordering, SortKey key, SortKey position) {
        int compared = key.value() != position.value() ? Long.compare(key.value(), position.value())
                : Long.compare(key.id(), position.id());
        return ordering.ascending() ? compared > 0 : compared < 0;
    }

    private static List<JobId> expected(JobOrdering ordering, List<Job> jobs) {
        Comparator<Job> order = Comparator.<Job>comparingLong(j -> ordering.keyOf(j))
                .thenComparing(Job::id);
        return jobs.stream().sorted(ordering.ascending() ? order : order.reversed()).map(Job::id).toList();
    }
}
