package io.jobyard.application.contract;

import io.jobyard.application.port.out.JobRepository;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static io.jobyard.application.contract.TestData.T0;
import static io.jobyard.application.contract.TestData.withTimesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every {@link JobRepository} has. Extend it and supply the store. */
public abstract class JobRepositoryContract extends RepositoryContract {

    private JobRepository jobs;
    private Project project;
    private Pipeline pipeline;

    @BeforeEach
    public void createProjectAndPipeline() {
        jobs = repos.jobs();
        project = data.project("jobs-" + TestData.unique());
        pipeline = data.pipeline(project, "main");
    }

    private static List<JobId> ids(List<Job> list) {
        return list.stream().map(Job::id).toList();
    }

    private static List<JobId> newestFirst(List<Job> createdInOrder) {
        List<JobId> reversed = new ArrayList<>(ids(createdInOrder));
        Collections.reverse(reversed);
        return reversed;
    }

    // ------------------------------------------------------------------------------------------ ids and storage

    @Test
    public void nextIdGivesIncreasingIds() {
        JobId first = jobs.nextId();
        JobId second = jobs.nextId();
        assertThat(second).isGreaterThan(first);
    }

    @Test
    public void insertedJobReadsBackWithEveryField() {
        User user = data.user("jobuser" + TestData.unique());
        Runner runner = data.runner("shared", true);
        Job original = data.job(pipeline, "compile", JobStatus.SUCCESS);
        Job full = data.fullJobRecord(pipeline, user, runner, original);

        Job returned = jobs.insert(full);

        assertThat(returned).isEqualTo(full);
        assertThat(jobs.findById(full.id())).contains(full);
    }

    @Test
    public void plainCreatedJobReadsBackWithItsNulls() {
        Job job = data.jobBuilder(pipeline, "lint").build();
        jobs.insert(job);
        assertThat(jobs.findById(job.id())).contains(job);
    }

    @Test
    public void insertingAnExistingIdIsAConflict() {
        Job job = data.job(pipeline, "lint", JobStatus.PENDING);
        assertThatThrownBy(() -> jobs.insert(job.toBuilder().status(JobStatus.SUCCESS).build()))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    public void findByIdOfAnUnknownJobIsEmpty() {
        assertThat(jobs.findById(jobs.nextId())).isEmpty();
    }

    // ---------------------------------------------------------------------------------------- optimistic update

    @Test
    public void updateStoresTheJobAndIncrementsItsLockVersion() {
        Job job = data.job(pipeline, "lint", JobStatus.PENDING);
        Job running = withTimesOf(job.toBuilder(), JobStatus.RUNNING).updatedAt(T0.plusSeconds(5)).build();

        Job stored = jobs.update(running);

        assertThat(stored.lockVersion()).isEqualTo(job.lockVersion() + 1);
        assertThat(stored).isEqualTo(running.withLockVersion(job.lockVersion() + 1));
        assertThat(jobs.findById(job.id())).contains(stored);
    }

    @Test
    public void updatedJobCanBeUpdatedAgainFromWhatUpdateReturned() {
        Job job = data.job(pipeline, "lint", JobStatus.PENDING);
        Job first = jobs.update(job.withCoverage(10.0));
        Job second = jobs.update(first.withCoverage(20.0));

        assertThat(second.lockVersion()).isEqualTo(job.lockVersion() + 2);
        assertThat(jobs.findById(job.id()).orElseThrow().coverage()).isEqualTo(20.0);
    }

    @Test
    public void updateFromAStaleReadFailsAndKeepsTheWinner() {
        Job job = data.job(pipeline, "lint", JobStatus.PENDING);
        Job readByA = jobs.findById(job.id()).orElseThrow();
        Job readByB = jobs.findById(job.id()).orElseThrow();

        Job winner = jobs.update(readByA.withCoverage(1.0));

        assertThatThrownBy(() -> jobs.update(readByB.withCoverage(2.0)))
                .isInstanceOf(StaleObjectException.class);
        assertThat(jobs.findById(job.id())).contains(winner);
    }

    @Test
    public void updateWithAVersionAheadOfTheStoredOneFails() {
        Job job = data.job(pipeline, "lint", JobStatus.PENDING);
        assertThatThrownBy(() -> jobs.update(job.withLockVersion(job.lockVersion() + 1)))
                .isInstanceOf(StaleObjectException.class);
    }

    @Test
    public void updateOfAJobNeverInsertedIsStale() {
        Job ghost = data.jobBuilder(pipeline, "ghost").build();
        assertThatThrownBy(() -> jobs.update(ghost)).isInstanceOf(StaleObjectException.class);
        assertThat(jobs.findById(ghost.id())).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------- lookups

    @Test
    public void findByIdsReturnsTheFoundJobsByIdAndLeavesOutUnknownOnes() {
        Job a = data.job(pipeline, "a", JobStatus.PENDING);
        Job b = data.job(pipeline, "b", JobStatus.SUCCESS);
        JobId unknown = jobs.nextId();

        assertThat(jobs.findByIds(List.of(a.id(), b.id(), unknown)))
                .containsOnlyKeys(a.id(), b.id())
                .containsEntry(a.id(), a)
                .containsEntry(b.id(), b);
        assertThat(jobs.findByIds(List.of())).isEmpty();
    }

    @Test
    public void findByPipelineReturnsAllItsJobsRetriedIncludedByAscendingId() {
        Job first = data.insert(data.jobBuilder(pipeline, "a").status(JobStatus.FAILED).retried(true));
        Job second = data.job(pipeline, "b", JobStatus.SKIPPED);
        Job retry = data.insert(data.jobBuilder(pipeline, "a").retriedFrom(first.id()));
        data.job(data.pipeline(project, "main"), "elsewhere", JobStatus.PENDING);

        assertThat(jobs.findByPipeline(pipeline.id())).containsExactly(first, second, retry);
    }

    @Test
    public void findLatestByNameSkipsRetriedJobsAndOtherPipelines() {
        Job old = data.insert(data.jobBuilder(pipeline, "rspec").status(JobStatus.FAILED).retried(true));
        Job latest = data.insert(data.jobBuilder(pipeline, "rspec").retriedFrom(old.id()));
        Pipeline other = data.pipeline(project, "main");
        data.job(other, "rspec", JobStatus.SUCCESS);
        Job onlyRetried = data.insert(data.jobBuilder(pipeline, "lint").status(JobStatus.FAILED).retried(true));

        assertThat(jobs.findLatestByName(pipeline.id(), "rspec")).contains(latest);
        assertThat(jobs.findLatestByName(pipeline.id(), onlyRetried.name())).isEmpty();
        assertThat(jobs.findLatestByName(pipeline.id(), "unknown")).isEmpty();
    }

    @Test
    public void findByTokenDigestFindsTheJobHoldingIt() {
        String digest = TestData.digest("job-token-" + TestData.unique());
        Job holder = data.insert(withTimesOf(data.jobBuilder(pipeline, "a"), JobStatus.RUNNING)
                .tokenDigest(digest));
        data.job(pipeline, "no token", JobStatus.PENDING);

        assertThat(jobs.findByTokenDigest(digest)).contains(holder);
        assertThat(jobs.findByTokenDigest(TestData.digest("other"))).isEmpty();
    }

    // --------------------------------------------------------------------------------------- project listings

    @Test
    public void listForProjectIsNewestFirstWithRetriedAndCreatedJobs() {
        Job retried = data.insert(data.jobBuilder(pipeline, "a").status(JobStatus.FAILED).retried(true));
        Job created = data.job(pipeline, "b", JobStatus.CREATED);
        Pipeline second = data.pipeline(project, "feature");
        Job pending = data.job(second, "c", JobStatus.PENDING);
        data.job(data.pipeline(data.project("other-" + TestData.unique()), "main"), "foreign", JobStatus.PENDING);

        assertThat(jobs.listForProject(project.id(), Set.of(), 0, 10)).containsExactly(pending, created, retried);
    }

    @Test
    public void listForProjectFiltersByStatusSet() {
        Job failed = data.job(pipeline, "a", JobStatus.FAILED);
        data.job(pipeline, "b", JobStatus.SUCCESS);
        Job pending = data.job(pipeline, "c", JobStatus.PENDING);
        data.job(pipeline, "d", JobStatus.RUNNING);

        assertThat(jobs.listForProject(project.id(), Set.of(JobStatus.FAILED, JobStatus.PENDING), 0, 10))
                .containsExactly(pending, failed);
        assertThat(jobs.listForProject(project.id(), Set.of(JobStatus.CANCELED), 0, 10)).isEmpty();
    }

    @Test
    public void listForProjectPagesByOffsetAndLimit() {
        List<Job> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(data.job(pipeline, "job" + i, JobStatus.SUCCESS));
        }
        List<JobId> newestFirst = newestFirst(created);

        assertThat(ids(jobs.listForProject(project.id(), Set.of(), 0, 2))).isEqualTo(newestFirst.subList(0, 2));
        assertThat(ids(jobs.listForProject(project.id(), Set.of(), 2, 2))).isEqualTo(newestFirst.subList(2, 4));
        assertThat(ids(jobs.listForProject(project.id(), Set.of(), 4, 2))).isEqualTo(newestFirst.subList(4, 5));
        assertThat(jobs.listForProject(project.id(), Set.of(), 5, 2)).isEmpty();
    }

    @Test
    public void listForProjectBeforeWalksKeysetPagesNewestFirst() {
        List<Job> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(data.job(pipeline, "job" + i, i % 2 == 0 ? JobStatus.SUCCESS : JobStatus.FAILED));
        }
        List<JobId> newestFirst = newestFirst(created);

        List<Job> page1 = jobs.listForProjectBefore(project.id(), Set.of(), null, 2);
        List<Job> page2 = jobs.listForProjectBefore(project.id(), Set.of(), page1.get(1).id(), 2);
        List<Job> page3 = jobs.listForProjectBefore(project.id(), Set.of(), page2.get(1).id(), 2);

        assertThat(ids(page1)).isEqualTo(newestFirst.subList(0, 2));
        assertThat(ids(page2)).isEqualTo(newestFirst.subList(2, 4));
        assertThat(ids(page3)).isEqualTo(newestFirst.subList(4, 5));
        assertThat(jobs.listForProjectBefore(project.id(), Set.of(), created.get(0).id(), 2)).isEmpty();
    }

    @Test
    public void listForProjectBeforeAppliesTheStatusFilterAndTheProject() {
        Job s1 = data.job(pipeline, "a", JobStatus.SUCCESS);
        data.job(pipeline, "b", JobStatus.FAILED);
        Job s2 = data.job(pipeline, "c", JobStatus.SUCCESS);
        data.job(data.pipeline(data.project("other-" + TestData.unique()), "main"), "foreign", JobStatus.SUCCESS);
        Job s3 = data.job(pipeline, "d", JobStatus.SUCCESS);

        assertThat(jobs.listForProjectBefore(project.id(), Set.of(JobStatus.SUCCESS), s3.id(), 10))
                .containsExactly(s2, s1);
    }

    // -------------------------------------------------------------------------------------- pipeline listings

    @Test
    public void listForPipelineHidesRetriedJobsUnlessAsked() {
        Job retried = data.insert(data.jobBuilder(pipeline, "a").status(JobStatus.FAILED).retried(true));
        Job build = data.job(pipeline, "b", JobStatus.SUCCESS);
        Job retry = data.insert(data.jobBuilder(pipeline, "a").retriedFrom(retried.id()));
        data.job(data.pipeline(project, "main"), "other pipeline", JobStatus.SUCCESS);

        assertThat(jobs.listForPipeline(pipeline.id(), Set.of(), false, 0, 10)).containsExactly(retry, build);
        assertThat(jobs.listForPipeline(pipeline.id(), Set.of(), true, 0, 10)).containsExactly(retry, build, retried);
        assertThat(jobs.countForPipeline(pipeline.id(), Set.of(), false)).isEqualTo(2);
        assertThat(jobs.countForPipeline(pipeline.id(), Set.of(), true)).isEqualTo(3);
    }

    @Test
    public void listForPipelineFiltersByStatusAndCountsTheSame() {
        Job failedRetried = data.insert(data.jobBuilder(pipeline, "a").status(JobStatus.FAILED).retried(true));
        Job failed = data.job(pipeline, "b", JobStatus.FAILED);
        data.job(pipeline, "c", JobStatus.SUCCESS);
        Job manual = data.job(pipeline, "d", JobStatus.MANUAL);
        Set<JobStatus> scope = Set.of(JobStatus.FAILED, JobStatus.MANUAL);

        assertThat(jobs.listForPipeline(pipeline.id(), scope, false, 0, 10)).containsExactly(manual, failed);
        assertThat(jobs.countForPipeline(pipeline.id(), scope, false)).isEqualTo(2);
        assertThat(jobs.listForPipeline(pipeline.id(), scope, true, 0, 10))
                .containsExactly(manual, failed, failedRetried);
        assertThat(jobs.countForPipeline(pipeline.id(), scope, true)).isEqualTo(3);
        assertThat(jobs.countForPipeline(pipeline.id(), Set.of(JobStatus.RUNNING), true)).isZero();
    }

    @Test
    public void listForPipelinePagesByOffsetAndLimit() {
        List<Job> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(data.job(pipeline, "job" + i, JobStatus.PENDING));
        }
        List<JobId> newestFirst = newestFirst(created);

        assertThat(ids(jobs.listForPipeline(pipeline.id(), Set.of(), false, 0, 3)))
                .isEqualTo(newestFirst.subList(0, 3));
        assertThat(ids(jobs.listForPipeline(pipeline.id(), Set.of(), false, 3, 3)))
                .isEqualTo(newestFirst.subList(3, 5));
        assertThat(jobs.listForPipeline(pipeline.id(), Set.of(), false, 6, 3)).isEmpty();
        assertThat(jobs.countForPipeline(pipeline.id(), Set.of(), false)).isEqualTo(5);
    }

    @Test
    public void countForAPipelineWithoutJobsIsZero() {
        assertThat(jobs.countForPipeline(data.pipeline(project, "main").id(), Set.of(), true)).isZero();
    }

    // --------------------------------------------------------------------------------- queues for the workers

    @Test
    public void findPendingReturnsPendingJobsOfEveryProjectOldestIdFirst() {
        Job first = data.job(pipeline, "a", JobStatus.PENDING);
        data.job(pipeline, "b", JobStatus.RUNNING);
        data.job(pipeline, "c", JobStatus.CREATED);
        Job elsewhere = data.job(data.pipeline(data.project("other-" + TestData.unique()), "main"), "d",
                JobStatus.PENDING);
        Job third = data.job(pipeline, "e", JobStatus.PENDING);

        assertThat(jobs.findPending(10)).containsExactly(first, elsewhere, third);
        assertThat(jobs.findPending(2)).containsExactly(first, elsewhere);
    }

    @Test
    public void countPendingCountsPendingJobsOfEveryProject() {
        assertThat(jobs.countPending()).isZero();
        data.job(pipeline, "a", JobStatus.PENDING);
        data.job(pipeline, "b", JobStatus.RUNNING);
        data.job(pipeline, "c", JobStatus.CREATED);
        data.job(data.pipeline(data.project("other-" + TestData.unique()), "main"), "d", JobStatus.PENDING);

        assertThat(jobs.countPending()).isEqualTo(2);
    }

    @Test
    public void findPendingThenUpdateIsAClaimOnlyOneRunnerWins() {
        Job pending = data.job(pipeline, "a", JobStatus.PENDING);
        Job seenByRunnerA = jobs.findPending(1).get(0);
        Job seenByRunnerB = jobs.findPending(1).get(0);

        jobs.update(withTimesOf(seenByRunnerA.toBuilder(), JobStatus.RUNNING).build());

        assertThatThrownBy(() -> jobs.update(withTimesOf(seenByRunnerB.toBuilder(), JobStatus.RUNNING).build()))
                .isInstanceOf(StaleObjectException.class);
        assertThat(jobs.findPending(10)).extracting(Job::id).doesNotContain(pending.id());
    }

    @Test
    public void claimPendingTakesTheOldestJobTheRunnerAcceptsAndStoresItRunning() {
        Runner runner = data.runner("claimer", false);
        Job tooSpecial = data.job(pipeline, "needs gpu", JobStatus.PENDING);
        Job oldestFitting = data.job(pipeline, "a", JobStatus.PENDING);
        data.job(pipeline, "b", JobStatus.PENDING);
        String tokenDigest = TestData.digest("claimed-job-token");
        Instant now = T0.plusSeconds(30);

        Job claimed = jobs.claimPending(j -> !j.id().equals(tooSpecial.id()),
                j -> j.run(runner.id(), tokenDigest, now)).orElseThrow();

        assertThat(claimed.id()).isEqualTo(oldestFitting.id());
        assertThat(claimed.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(claimed.runnerId()).isEqualTo(runner.id());
        assertThat(claimed.startedAt()).isEqualTo(now);
        assertThat(claimed.lockVersion()).isEqualTo(oldestFitting.lockVersion() + 1);
        assertThat(jobs.findById(claimed.id())).contains(claimed);
        assertThat(jobs.findByTokenDigest(tokenDigest)).contains(claimed);
        assertThat(jobs.findById(tooSpecial.id())).contains(tooSpecial);
    }

    @Test
    public void aClaimedJobIsNotHandedOutAgain() {
        Runner runner = data.runner("claimer", false);
        Job only = data.job(pipeline, "a", JobStatus.PENDING);

        assertThat(jobs.claimPending(j -> true, j -> j.run(runner.id(), TestData.digest("t1"), T0))).isPresent();
        assertThat(jobs.claimPending(j -> true, j -> j.run(runner.id(), TestData.digest("t2"), T0))).isEmpty();
        assertThat(jobs.findById(only.id()).orElseThrow().tokenDigest()).isEqualTo(TestData.digest("t1"));
    }

    @Test
    public void claimPendingIsEmptyWhenNoPendingJobFits() {
        Runner runner = data.runner("claimer", false);
        Job pending = data.job(pipeline, "a", JobStatus.PENDING);
        data.job(pipeline, "b", JobStatus.CREATED);

        assertThat(jobs.claimPending(j -> false, j -> j.run(runner.id(), TestData.digest("t"), T0))).isEmpty();
        assertThat(jobs.findById(pending.id())).contains(pending);
    }

    @Test
    public void findScheduledBeforeReturnsDueScheduledJobsEarliestFirst() {
        Instant now = T0.plusSeconds(600);
        Job dueLater = data.insert(data.jobBuilder(pipeline, "a").status(JobStatus.SCHEDULED)
                .scheduledAt(now.minusSeconds(10)));
        Job dueExactlyNow = data.insert(data.jobBuilder(pipeline, "b").status(JobStatus.SCHEDULED)
                .scheduledAt(now));
        Job dueFirst = data.insert(data.jobBuilder(pipeline, "c").status(JobStatus.SCHEDULED)
                .scheduledAt(now.minusSeconds(300)));
        data.insert(data.jobBuilder(pipeline, "d").status(JobStatus.SCHEDULED).scheduledAt(now.plusMillis(1)));
        data.insert(data.jobBuilder(pipeline, "e").status(JobStatus.MANUAL).scheduledAt(null));
        data.insert(data.jobBuilder(pipeline, "f").status(JobStatus.PENDING).queuedAt(T0));

        assertThat(jobs.findScheduledBefore(now, 10)).containsExactly(dueFirst, dueLater, dueExactlyNow);
        assertThat(jobs.findScheduledBefore(now, 1)).containsExactly(dueFirst);
        assertThat(jobs.findScheduledBefore(now.minusSeconds(3600), 10)).isEmpty();
    }

    @Test
    public void findRunningNotUpdatedSinceReturnsStaleRunningJobsLeastRecentlyUpdatedFirst() {
        Instant before = T0.plusSeconds(3600);
        Job staleSecond = data.insert(withTimesOf(data.jobBuilder(pipeline, "a"), JobStatus.RUNNING)
                .updatedAt(before.minusSeconds(1)));
        Job staleFirst = data.insert(withTimesOf(data.jobBuilder(pipeline, "b"), JobStatus.RUNNING)
                .updatedAt(before.minusSeconds(1000)));
        data.insert(withTimesOf(data.jobBuilder(pipeline, "c"), JobStatus.RUNNING).updatedAt(before));
        data.insert(withTimesOf(data.jobBuilder(pipeline, "d"), JobStatus.RUNNING)
                .updatedAt(before.plusSeconds(5)));
        data.insert(withTimesOf(data.jobBuilder(pipeline, "e"), JobStatus.PENDING)
                .updatedAt(before.minusSeconds(2000)));
        data.insert(withTimesOf(data.jobBuilder(pipeline, "f"), JobStatus.SUCCESS)
                .updatedAt(before.minusSeconds(2000)));

        assertThat(jobs.findRunningNotUpdatedSince(before, 10)).containsExactly(staleFirst, staleSecond);
        assertThat(jobs.findRunningNotUpdatedSince(before, 1)).containsExactly(staleFirst);
    }
}
