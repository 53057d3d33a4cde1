package io.jobyard.domain.pipeline;

import io.jobyard.domain.fixtures.JobFixtures;
import io.jobyard.domain.fixtures.PipelineRun;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobEvent;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.TransitionContext;
import io.jobyard.domain.job.WhenCondition;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.jobyard.domain.job.JobStatus.CANCELED;
import static io.jobyard.domain.job.JobStatus.CREATED;
import static io.jobyard.domain.job.JobStatus.FAILED;
import static io.jobyard.domain.job.JobStatus.MANUAL;
import static io.jobyard.domain.job.JobStatus.PENDING;
import static io.jobyard.domain.job.JobStatus.RUNNING;
import static io.jobyard.domain.job.JobStatus.SCHEDULED;
import static io.jobyard.domain.job.JobStatus.SKIPPED;
import static io.jobyard.domain.job.JobStatus.SUCCESS;
import static io.jobyard.domain.job.JobStatus.WAITING_FOR_RESOURCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** GitLab's atomic pipeline processing (ProcessBuildService, ResetSkippedJobsService) over {@link PipelineRun}. */
class PipelineProcessorTest {

    private static JobSpec job(String name, int stageIdx) {
        return JobSpec.simple(name, "stage" + stageIdx, stageIdx);
    }

    private static JobSpec job(String name, int stageIdx, WhenCondition when) {
        return job(name, stageIdx).withWhen(when, when == WhenCondition.DELAYED ? Duration.ofMinutes(5) : null);
    }

    private static JobSpec dag(String name, int stageIdx, String... needs) {
        return job(name, stageIdx).withNeeds(List.of(needs));
    }

    @Nested
    class Stages {
        private final PipelineRun run = new PipelineRun()
                .add(job("compile", 0)).add(job("lint", 0))
                .add(job("test", 1))
                .add(job("deploy", 2));

        @Test
        void onlyTheFirstStageIsEnqueuedAtFirst() {
            PipelineProcessor.Outcome outcome = run.process();

            assertThat(run.statuses("compile", "lint", "test", "deploy"))
                    .containsExactly(PENDING, PENDING, CREATED, CREATED);
            assertThat(outcome.changed()).extracting(Job::name).containsExactly("compile", "lint");
            assertThat(outcome.pipelineStatus()).contains(PENDING);
            assertThat(run.job("compile").queuedAt()).isNotNull();
        }

        @Test
        void aStageStartsOnlyWhenEveryJobOfTheEarlierStagesIsComplete() {
            run.process();
            run.runAndSucceed("compile");
            assertThat(run.status("test")).as("lint is still pending").isEqualTo(CREATED);
            assertThat(run.pipelineStatus()).contains(RUNNING);

            run.runAndSucceed("lint");
            assertThat(run.statuses("test", "deploy")).containsExactly(PENDING, CREATED);

            run.runAndSucceed("test");
            assertThat(run.status("deploy")).isEqualTo(PENDING);

            run.runAndSucceed("deploy");
            assertThat(run.pipelineStatus()).contains(SUCCESS);
        }

        @Test
        void processingTwiceChangesNothingTheSecondTime() {
            run.process();
            PipelineProcessor.Outcome again = run.process();
            assertThat(again.changed()).isEmpty();
            assertThat(again.pipelineStatus()).contains(PENDING);
        }

        @Test
        void processingLeavesJobsThatAreNotCreatedAlone() {
            run.process();
            run.run("compile");
            Job running = run.job("compile");
            run.process();
            assertThat(run.job("compile")).isEqualTo(running);
        }

        @Test
        void laterJobsAreSkippedWhenAnEarlierRequiredJobFails() {
            run.process();
            run.runAndSucceed("lint");
            run.runAndFail("compile");

            assertThat(run.statuses("test", "deploy")).containsExactly(SKIPPED, SKIPPED);
            assertThat(run.pipelineStatus()).contains(FAILED);
        }

        @Test
        void aCanceledEarlierJobSkipsLaterOnSuccessJobsAndCancelsThePipeline() {
            run.process();
            run.runAndSucceed("lint");
            run.put(run.job("compile").cancel(false, run.tick()));
            run.process();

            assertThat(run.statuses("test", "deploy")).containsExactly(SKIPPED, SKIPPED);
            assertThat(run.pipelineStatus()).contains(CANCELED);
        }
    }

    @Nested
    class Needs {
        @Test
        void aDagJobStartsAsSoonAsItsNeedsSucceedWithoutWaitingForTheStage() {
            PipelineRun run = new PipelineRun()
                    .add(job("compile", 0)).add(job("slow", 0))
                    .add(dag("unit", 1, "compile")).add(job("stage_based", 1));
            run.process();
            run.run("slow");

            run.runAndSucceed("compile");

            assertThat(run.statuses("unit", "stage_based")).containsExactly(PENDING, CREATED);
        }

        @Test
        void aDagJobWithEmptyNeedsStartsImmediatelyInALaterStage() {
            PipelineRun run = new PipelineRun().add(job("compile", 0)).add(dag("docs", 2));
            run.process();
            assertThat(run.statuses("compile", "docs")).containsExactly(PENDING, PENDING);
        }

        @Test
        void aDagJobFollowsTransitiveNeedsInOnePass() {
            PipelineRun run = new PipelineRun()
                    .add(job("a", 0)).add(dag("b", 1, "a")).add(dag("c", 2, "b")).add(job("slow", 0));
            run.process();
            run.run("slow");
            run.runAndSucceed("a");
            run.runAndSucceed("b");
            assertThat(run.status("c")).isEqualTo(PENDING);
        }

        @Test
        void aDagJobIsSkippedWhenANeedFails() {
            PipelineRun run = new PipelineRun().add(job("a", 0)).add(dag("b", 1, "a"));
            run.process();
            run.runAndFail("a");
            assertThat(run.status("b")).isEqualTo(SKIPPED);
        }

        @Test
        void aDagJobIsSkippedWhenANeedWasSkipped() {
            // GitLab's ProcessBuildService: a DAG job with when on_success/manual/delayed only starts after "success";
            // a skipped need makes the composite of its needs "skipped".
            PipelineRun run = new PipelineRun()
                    .add(job("a", 0)).add(job("after_failure", 1, WhenCondition.ON_FAILURE))
                    .add(dag("b", 2, "after_failure"))
                    .add(dag("b_manual", 2, "after_failure").withWhen(WhenCondition.MANUAL, null))
                    .add(dag("b_always", 2, "after_failure").withWhen(WhenCondition.ALWAYS, null));
            run.process();
            run.runAndSucceed("a");

            assertThat(run.status("after_failure")).isEqualTo(SKIPPED);
            assertThat(run.statuses("b", "b_manual", "b_always")).containsExactly(SKIPPED, SKIPPED, PENDING);
        }

        @Test
        void aJobNeedingAnOptionalManualJobIsSkippedUntilThatJobIsPlayed() {
            PipelineRun run = new PipelineRun()
                    .add(job("deploy", 0, WhenCondition.MANUAL).withAllowFailure(true))
                    .add(dag("smoke", 1, "deploy"));
            run.process();
            assertThat(run.statuses("deploy", "smoke")).containsExactly(MANUAL, SKIPPED);
            assertThat(run.pipelineStatus()).contains(SKIPPED);

            run.play("deploy", JobFixtures.OTHER_USER);
            assertThat(run.statuses("deploy", "smoke")).containsExactly(PENDING, CREATED);
            assertThat(run.job("smoke").userId()).isEqualTo(JobFixtures.OTHER_USER);
            run.process();
            assertThat(run.status("smoke")).isEqualTo(CREATED);

            run.runAndSucceed("deploy");
            assertThat(run.status("smoke")).isEqualTo(PENDING);
        }

        @Test
        void aDagJobWaitsWhileANeedIsStillRunning() {
            PipelineRun run = new PipelineRun().add(job("a", 0)).add(job("b", 0)).add(dag("c", 1, "a", "b"));
            run.process();
            run.runAndSucceed("a");
            run.run("b");
            run.process();
            assertThat(run.status("c")).isEqualTo(CREATED);
        }
    }

    @Nested
    class When {
        @Test
        void onFailureRunsOnlyAfterAFailure() {
            PipelineRun ok = new PipelineRun().add(job("a", 0)).add(job("cleanup", 1, WhenCondition.ON_FAILURE));
            ok.process();
            ok.runAndSucceed("a");
            assertThat(ok.status("cleanup")).isEqualTo(SKIPPED);
            assertThat(ok.pipelineStatus()).contains(SUCCESS);

            PipelineRun broken = new PipelineRun().add(job("a", 0)).add(job("cleanup", 1, WhenCondition.ON_FAILURE));
            broken.process();
            broken.runAndFail("a");
            assertThat(broken.status("cleanup")).isEqualTo(PENDING);
        }

        @Test
        void alwaysRunsAfterSuccessAndAfterFailure() {
            PipelineRun ok = new PipelineRun().add(job("a", 0)).add(job("report", 1, WhenCondition.ALWAYS));
            ok.process();
            ok.runAndSucceed("a");
            assertThat(ok.status("report")).isEqualTo(PENDING);

            PipelineRun broken = new PipelineRun().add(job("a", 0)).add(job("report", 1, WhenCondition.ALWAYS));
            broken.process();
            broken.runAndFail("a");
            assertThat(broken.status("report")).isEqualTo(PENDING);
        }

        @Test
        void neverIsSkipped() {
            PipelineRun run = new PipelineRun().add(job("a", 0, WhenCondition.NEVER)).add(job("b", 1));
            run.process();
            assertThat(run.statuses("a", "b")).containsExactly(SKIPPED, PENDING);
        }

        @Test
        void delayedIsScheduledStartInFromNow() {
            PipelineRun run = new PipelineRun().add(job("wait", 0, WhenCondition.DELAYED)).add(job("b", 1));
            run.process();

            Job scheduled = run.job("wait");
            assertThat(scheduled.status()).isEqualTo(SCHEDULED);
            assertThat(scheduled.scheduledAt()).isEqualTo(run.now().plus(Duration.ofMinutes(5)));
            assertThat(run.status("b")).as("a scheduled job holds back the next stage").isEqualTo(CREATED);
            assertThat(run.pipelineStatus()).contains(SCHEDULED);

            run.apply("wait", JobEvent.ENQUEUE_SCHEDULED, TransitionContext.plain());
            assertThat(run.job("wait").scheduledAt()).isNull();
            run.runAndSucceed("wait");
            assertThat(run.status("b")).isEqualTo(PENDING);
        }

        @Test
        void aFailureThatIsAllowedDoesNotBlockLaterStages() {
            PipelineRun run = new PipelineRun()
                    .add(job("flaky", 0).withAllowFailure(true)).add(job("b", 1));
            run.process();
            run.runAndFail("flaky");
            assertThat(run.status("b")).isEqualTo(PENDING);

            run.runAndSucceed("b");
            assertThat(run.pipelineStatus()).as("success with warnings").contains(SUCCESS);
        }

        @Test
        void aBlockingManualJobHoldsBackLaterStages() {
            PipelineRun run = new PipelineRun()
                    .add(job("approve", 0, WhenCondition.MANUAL).withAllowFailure(false)).add(job("release", 1));
            run.process();
            assertThat(run.statuses("approve", "release")).containsExactly(MANUAL, CREATED);
            assertThat(run.pipelineStatus()).contains(MANUAL);

            run.play("approve", JobFixtures.USER);
            run.runAndSucceed("approve");
            assertThat(run.status("release")).isEqualTo(PENDING);
        }

        @Test
        void anOptionalManualJobDoesNotHoldBackLaterStages() {
            PipelineRun run = new PipelineRun()
                    .add(job("optional", 0, WhenCondition.MANUAL).withAllowFailure(true)).add(job("release", 1));
            run.process();
            assertThat(run.statuses("optional", "release")).containsExactly(MANUAL, PENDING);

            run.runAndSucceed("release");
            assertThat(run.pipelineStatus()).contains(SUCCESS);
        }

        @Test
        void aManualJobAfterAFailureIsSkipped() {
            PipelineRun run = new PipelineRun().add(job("a", 0)).add(job("deploy", 1, WhenCondition.MANUAL));
            run.process();
            run.runAndFail("a");
            assertThat(run.status("deploy")).isEqualTo(SKIPPED);
        }

        @Test
        void aJobWithAResourceGroupWaitsForTheResource() {
            PipelineRun run = new PipelineRun().add(job("deploy", 0).withResourceGroup("production"));
            run.process();

            Job waiting = run.job("deploy");
            assertThat(waiting.status()).isEqualTo(WAITING_FOR_RESOURCE);
            assertThat(waiting.waitingForResourceAt()).isEqualTo(run.now());
            assertThat(run.pipelineStatus()).contains(WAITING_FOR_RESOURCE);
            assertThat(PipelineProcessor.enqueueContext(waiting).hasResourceGroup()).isTrue();
            assertThat(PipelineProcessor.enqueueContext(run.job("deploy").toBuilder()
                    .spec(waiting.spec().withResourceGroup(null)).build()).hasResourceGroup()).isFalse();
        }
    }

    @Nested
    class RetryReopensProcessing {
        @Test
        void retryingAFailedJobBringsSkippedLaterJobsBackAndProcessingDecidesThemAgain() {
            PipelineRun run = new PipelineRun()
                    .add(job("compile", 0)).add(job("test", 1)).add(job("deploy", 2))
                    .add(job("cleanup", 2, WhenCondition.ON_FAILURE));
            run.process();
            run.runAndFail("compile");
            run.runAndSucceed("cleanup");
            assertThat(run.statuses("test", "deploy", "cleanup")).containsExactly(SKIPPED, SKIPPED, SUCCESS);

            Job clone = run.retry("compile", JobFixtures.OTHER_USER);
            assertThat(clone.status()).isEqualTo(CREATED);
            assertThat(run.statuses("test", "deploy", "cleanup")).containsExactly(CREATED, CREATED, SUCCESS);
            assertThat(run.job("test").userId()).isEqualTo(JobFixtures.OTHER_USER);

            run.process();
            assertThat(run.statuses("compile", "test", "deploy")).containsExactly(PENDING, CREATED, CREATED);
            assertThat(run.pipelineStatus()).contains(RUNNING);

            run.runAndSucceed("compile");
            run.runAndSucceed("test");
            run.runAndSucceed("deploy");
            assertThat(run.pipelineStatus()).contains(SUCCESS);
        }

        @Test
        void retryReopensDagJobsThatNeedTheRetriedJobTransitively() {
            PipelineRun run = new PipelineRun()
                    .add(job("compile", 1)).add(job("other", 1))
                    .add(dag("unit", 1, "compile")).add(dag("report", 1, "unit"));
            run.process();
            run.runAndSucceed("other");
            run.runAndFail("compile");
            assertThat(run.statuses("unit", "report")).containsExactly(SKIPPED, SKIPPED);

            run.retry("compile", JobFixtures.USER);

            assertThat(run.statuses("unit", "report")).containsExactly(CREATED, CREATED);
        }

        @Test
        void retryReopensSkippedDagJobsOfLaterStagesThatWaitOnTheRetriedJobThroughAStage() {
            // GitLab resets every skipped job after the retried job's stage, plus everything that needs it.
            PipelineRun run = new PipelineRun()
                    .add(job("compile", 0)).add(job("test", 1)).add(dag("publish", 2, "test"));
            run.process();
            run.runAndFail("compile");
            assertThat(run.statuses("test", "publish")).containsExactly(SKIPPED, SKIPPED);

            run.retry("compile", JobFixtures.USER);
            assertThat(run.statuses("test", "publish")).containsExactly(CREATED, CREATED);

            run.process();
            run.runAndSucceed("compile");
            run.runAndSucceed("test");
            assertThat(run.status("publish")).isEqualTo(PENDING);
        }

        @Test
        void retryLeavesEarlierStagesAndUnrelatedJobsAlone() {
            PipelineRun run = new PipelineRun()
                    .add(job("skipped_early", 0, WhenCondition.NEVER)).add(job("a", 1)).add(job("b", 1));
            run.process();
            run.runAndSucceed("a");
            run.runAndFail("b");

            List<Job> reopened = PipelineProcessor.reopenAfterRetry(run.all(), run.job("b"), null, run.tick());

            assertThat(reopened).isEmpty();
        }

        @Test
        void retriedJobsAreIgnoredByProcessingAndStatus() {
            PipelineRun run = new PipelineRun().add(job("a", 0)).add(job("b", 1));
            run.process();
            run.runAndFail("a");
            run.retry("a", null);
            run.process();

            assertThat(run.all()).hasSize(3);
            assertThat(run.latest()).extracting(Job::name).containsExactlyInAnyOrder("a", "b");
            assertThat(run.pipelineStatus()).as("the failed try no longer counts").contains(PENDING);

            run.runAndSucceed("a");
            run.runAndSucceed("b");
            assertThat(run.pipelineStatus()).contains(SUCCESS);
        }
    }

    @Nested
    class RetryOfActions {
        @Test
        void aRetriedManualJobIsEnqueuedImmediatelyNotPutBackToManual() {
            PipelineRun run = new PipelineRun()
                    .add(job("build", 0)).add(job("deploy", 1, WhenCondition.MANUAL).withAllowFailure(false));
            run.process();
            run.runAndSucceed("build");
            run.play("deploy", JobFixtures.USER);
            run.runAndSucceed("deploy");

            Job clone = run.retry("deploy", JobFixtures.OTHER_USER);
            assertThat(PipelineProcessor.process(run.all(), run.tick()).changed())
                    .as("plain processing makes the clone manual again").extracting(Job::status).containsExactly(MANUAL);

            PipelineProcessor.Outcome outcome = PipelineProcessor.process(run.all(), Set.of(clone.id()), run.tick());

            assertThat(outcome.changed()).extracting(Job::id, Job::status).containsExactly(tuple(clone.id(), PENDING));
            assertThat(outcome.pipelineStatus()).contains(RUNNING);
        }

        @Test
        void aRetriedDelayedJobIsEnqueuedImmediatelyToo() {
            PipelineRun run = new PipelineRun().add(job("later", 0, WhenCondition.DELAYED).withResourceGroup("rg"));
            Job created = run.job("later");

            Job decided = PipelineProcessor.process(run.all(), Set.of(created.id()), run.tick()).changed().get(0);

            assertThat(decided.status()).as("the resource group still applies").isEqualTo(WAITING_FOR_RESOURCE);
            assertThat(decided.scheduledAt()).isNull();
        }

        @Test
        void enqueueImmediatelyStillWaitsForWhatTheJobWaitsForAndStillSkips() {
            PipelineRun run = new PipelineRun().add(job("build", 0)).add(job("deploy", 1, WhenCondition.MANUAL));
            Job deploy = run.job("deploy");
            run.process();
            run.run("build");

            assertThat(PipelineProcessor.process(run.all(), Set.of(deploy.id()), run.tick()).changed()).isEmpty();

            run.fail("build");
            assertThat(PipelineProcessor.process(run.all(), Set.of(deploy.id()), run.tick()).changed())
                    .extracting(Job::status).containsExactly(SKIPPED);
        }
    }

    @Nested
    class PipelineStatus {
        @Test
        void aPipelineWithoutJobsHasNoStatus() {
            assertThat(PipelineProcessor.status(List.of())).isEmpty();
            assertThat(PipelineProcessor.process(List.of(), JobFixtures.T0).pipelineStatus()).isEmpty();
        }

        @Test
        void theStatusIsTheCompositeOfTheLatestJobs() {
            PipelineRun run = new PipelineRun().add(job("a", 0)).add(job("b", 0).withAllowFailure(true));
            run.process();
            run.run("a");
            run.run("b");
            run.fail("b");
            assertThat(run.pipelineStatus()).contains(RUNNING);
            run.succeed("a");
            assertThat(run.pipelineStatus()).contains(SUCCESS);
        }

        @Test
        void aCreatedPipelineIsCreated() {
            PipelineRun run = new PipelineRun().add(job("a", 0)).add(job("b", 1));
            assertThat(run.pipelineStatus()).contains(CREATED);
        }
    }
}
