package io.jobyard.domain.job;

import io.jobyard.domain.error.InvalidTransitionException;
import io.jobyard.domain.error.TextTooLongException;
import io.jobyard.domain.fixtures.JobFixtures;
import io.jobyard.domain.runner.RunnerId;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static io.jobyard.domain.job.JobStatus.CANCELED;
import static io.jobyard.domain.job.JobStatus.CANCELING;
import static io.jobyard.domain.job.JobStatus.CREATED;
import static io.jobyard.domain.job.JobStatus.FAILED;
import static io.jobyard.domain.job.JobStatus.MANUAL;
import static io.jobyard.domain.job.JobStatus.PENDING;
import static io.jobyard.domain.job.JobStatus.RUNNING;
import static io.jobyard.domain.job.JobStatus.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The operations the Jobs API and the runner protocol perform on one job (retry, erase, keep, play, runner updates). */
class JobOperationsTest {

    private static final Instant NOW = JobFixtures.T0.plus(Duration.ofMinutes(10));

    private static JobSpec richSpec() {
        return JobSpec.simple("rspec", "test", 1)
                .withWhen(WhenCondition.MANUAL, null)
                .withAllowFailure(true)
                .withNeeds(List.of("compile"))
                .withTags(List.of("linux", "docker"))
                .withVariables(List.of(JobVariable.of("A", "1")))
                .withResourceGroup("prod")
                .withRetry(new RetryPolicy(2, Set.of("script_failure")))
                .withDebugTrace(true);
    }

    @Nested
    class Retry {
        private final Job failed = JobFixtures.inStatus(FAILED, richSpec()).toBuilder()
                .coverage(81.5).artifactsExpireAt(NOW.plusSeconds(60)).autoRetries(1).lockVersion(4).build();

        @Test
        void theRetryIsAFreshCreatedJobWithTheSameDefinition() {
            Job retry = failed.retryAs(JobId.of(2), JobFixtures.OTHER_USER, false, NOW);

            assertThat(retry.id()).isEqualTo(JobId.of(2));
            assertThat(retry.spec()).isEqualTo(failed.spec());
            assertThat(retry.name()).isEqualTo("rspec");
            assertThat(retry.stage()).isEqualTo("test");
            assertThat(retry.projectId()).isEqualTo(failed.projectId());
            assertThat(retry.pipelineId()).isEqualTo(failed.pipelineId());
            assertThat(retry.ref()).isEqualTo(failed.ref());
            assertThat(retry.tag()).isEqualTo(failed.tag());
            assertThat(retry.status()).isEqualTo(CREATED);
            assertThat(retry.userId()).as("the retrying user owns the new job").isEqualTo(JobFixtures.OTHER_USER);
            assertThat(retry.retriedFrom()).isEqualTo(failed.id());
            assertThat(retry.retried()).isFalse();
            assertThat(retry.createdAt()).isEqualTo(NOW);
            assertThat(retry.updatedAt()).isEqualTo(NOW);
        }

        @Test
        void theRetryCarriesNoRuntimeStateOfTheOldRun() {
            Job retry = failed.retryAs(JobId.of(2), JobFixtures.OTHER_USER, false, NOW);

            assertThat(retry.queuedAt()).isNull();
            assertThat(retry.startedAt()).isNull();
            assertThat(retry.finishedAt()).isNull();
            assertThat(retry.failureReason()).isNull();
            assertThat(retry.exitCode()).isNull();
            assertThat(retry.runnerId()).isNull();
            assertThat(retry.coverage()).isNull();
            assertThat(retry.tokenDigest()).isNull();
            assertThat(retry.artifactsExpireAt()).isNull();
            assertThat(retry.erasedAt()).isNull();
            assertThat(retry.lockVersion()).isZero();
        }

        @Test
        void withoutARetryingUserTheJobKeepsItsUser() {
            assertThat(failed.retryAs(JobId.of(2), null, true, NOW).userId()).isEqualTo(JobFixtures.USER);
        }

        @Test
        void automaticRetriesAreCountedAlongTheLineage() {
            assertThat(failed.retryAs(JobId.of(2), null, true, NOW).autoRetries()).isEqualTo(2);
            assertThat(failed.retryAs(JobId.of(2), JobFixtures.USER, false, NOW).autoRetries()).isEqualTo(1);
        }

        @Test
        void markRetriedFlagsTheOldJobAndKeepsItsRun() {
            Job old = failed.markRetried(NOW);

            assertThat(old.retried()).isTrue();
            assertThat(old.status()).isEqualTo(FAILED);
            assertThat(old.finishedAt()).isEqualTo(failed.finishedAt());
            assertThat(old.updatedAt()).isEqualTo(NOW);
            assertThat(old.retryable(false)).isFalse();
        }

        @Test
        void retryNeedsANewId() {
            assertThatThrownBy(() -> failed.retryAs(null, null, false, NOW)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class RetryPolicies {
        @ParameterizedTest
        @CsvSource({
                "0, '',                 script_failure, 0, false",
                "1, '',                 script_failure, 0, true",
                "1, '',                 script_failure, 1, false",
                "2, '',                 api_failure,    1, true",
                "2, always,             api_failure,    0, true",
                "2, script_failure,     script_failure, 0, true",
                "2, script_failure,     runner_system_failure, 0, false"})
        void automaticRetryFollowsMaxAndWhen(int max, String when, String reason, int soFar, boolean retries) {
            RetryPolicy policy = new RetryPolicy(max, when.isEmpty() ? Set.of() : Set.of(when));
            assertThat(policy.retries(FailureReason.fromWireName(reason).orElseThrow(), soFar)).isEqualTo(retries);
        }

        @Test
        void maxIsZeroToTwo() {
            assertThatThrownBy(() -> new RetryPolicy(3, Set.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new RetryPolicy(-1, Set.of())).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Erase {
        @ParameterizedTest
        @EnumSource(value = JobStatus.class, names = {"SUCCESS", "FAILED", "CANCELED", "SKIPPED"})
        void eraseRecordsWhoAndWhenAndDropsTheArtifactsExpiry(JobStatus status) {
            Job job = JobFixtures.inStatus(status).withArtifactsExpireAt(NOW.plusSeconds(3600), NOW);

            Job erased = job.erase(JobFixtures.OTHER_USER, NOW.plusSeconds(5));

            assertThat(erased.erasedAt()).isEqualTo(NOW.plusSeconds(5));
            assertThat(erased.erasedBy()).isEqualTo(JobFixtures.OTHER_USER);
            assertThat(erased.artifactsExpireAt()).isNull();
            assertThat(erased.status()).isEqualTo(status);
            assertThat(erased.updatedAt()).isEqualTo(NOW.plusSeconds(5));
        }

        @ParameterizedTest
        @EnumSource(value = JobStatus.class, names = {"SUCCESS", "FAILED", "CANCELED", "SKIPPED"},
                mode = EnumSource.Mode.EXCLUDE)
        void anIncompleteJobCannotBeErased(JobStatus status) {
            assertThatThrownBy(() -> JobFixtures.inStatus(status).erase(JobFixtures.USER, NOW))
                    .isInstanceOf(InvalidTransitionException.class)
                    .hasMessageContaining(status.wireName());
        }
    }

    @Nested
    class Keep {
        @Test
        void keepClearsTheExpiry() {
            Job job = JobFixtures.inStatus(SUCCESS).withArtifactsExpireAt(NOW.plusSeconds(60), NOW);
            assertThat(job.artifactsExpireAt()).isEqualTo(NOW.plusSeconds(60));

            Job kept = job.keepArtifacts(NOW.plusSeconds(1));

            assertThat(kept.artifactsExpireAt()).isNull();
            assertThat(kept.artifactsExpired(NOW.plus(Duration.ofDays(365)))).isFalse();
            assertThat(kept.updatedAt()).isEqualTo(NOW.plusSeconds(1));
        }
    }

    @Nested
    class Play {
        private final Job manual = JobFixtures.inStatus(MANUAL, richSpec());

        @Test
        void thePlayerBecomesTheUserAndGivenVariablesReplaceTheJobsOwn() {
            List<JobVariable> given = List.of(JobVariable.of("TARGET", "prod"));

            Job played = manual.playedBy(JobFixtures.OTHER_USER, given, NOW);

            assertThat(played.userId()).isEqualTo(JobFixtures.OTHER_USER);
            assertThat(played.spec().variables()).isEqualTo(given);
            assertThat(played.spec().withVariables(manual.spec().variables())).isEqualTo(manual.spec());
        }

        @Test
        void withoutVariablesTheJobKeepsItsOwn() {
            Job played = manual.playedBy(JobFixtures.OTHER_USER, null, NOW);
            assertThat(played.spec()).isEqualTo(manual.spec());
        }

        @Test
        void playingEnqueuesTheManualJob() {
            Job played = manual.playedBy(JobFixtures.OTHER_USER, null, NOW)
                    .apply(JobEvent.ENQUEUE, TransitionContext.plain(), NOW);
            assertThat(played.status()).isEqualTo(PENDING);
            assertThat(played.queuedAt()).isEqualTo(NOW);
        }
    }

    @Nested
    class RunnerUpdates {
        @Test
        void runRecordsTheRunnerAndTheTokenDigest() {
            Job running = JobFixtures.inStatus(PENDING).run(RunnerId.of(9), "cafe", NOW);

            assertThat(running.status()).isEqualTo(RUNNING);
            assertThat(running.runnerId()).isEqualTo(RunnerId.of(9));
            assertThat(running.tokenDigest()).isEqualTo("cafe");
            assertThat(running.startedAt()).isEqualTo(NOW);
        }

        @Test
        void onlyAPendingJobCanBeRun() {
            assertThatThrownBy(() -> JobFixtures.created().run(RunnerId.of(9), "cafe", NOW))
                    .isInstanceOf(InvalidTransitionException.class);
        }

        @Test
        void dropRecordsTheReasonAndExitCode() {
            Job failed = JobFixtures.inStatus(RUNNING).drop(FailureReason.SCRIPT_FAILURE, 2, NOW);

            assertThat(failed.status()).isEqualTo(FAILED);
            assertThat(failed.failureReason()).isEqualTo(FailureReason.SCRIPT_FAILURE);
            assertThat(failed.exitCode()).isEqualTo(2);
            assertThat(failed.finishedAt()).isEqualTo(NOW);
        }

        @Test
        void dropWithoutAReasonIsAnUnknownFailure() {
            assertThat(JobFixtures.inStatus(RUNNING).drop(null, null, NOW).failureReason())
                    .isEqualTo(FailureReason.UNKNOWN_FAILURE);
        }

        @Test
        void dropOfACancelingJobFinishesTheCancelWithoutAFailureReason() {
            Job canceled = JobFixtures.inStatus(CANCELING).drop(FailureReason.SCRIPT_FAILURE, 137, NOW);

            assertThat(canceled.status()).isEqualTo(CANCELED);
            assertThat(canceled.failureReason()).isNull();
            assertThat(canceled.exitCode()).isNull();
            assertThat(canceled.finishedAt()).isEqualTo(NOW);
        }

        @Test
        void successOfACancelingJobFinishesTheCancel() {
            Job canceled = JobFixtures.inStatus(CANCELING).succeed(NOW);

            assertThat(canceled.status()).isEqualTo(CANCELED);
            assertThat(canceled.finishedAt()).isEqualTo(NOW);
        }

        @Test
        void successOfARunningJob() {
            Job success = JobFixtures.inStatus(RUNNING).succeed(NOW);
            assertThat(success.status()).isEqualTo(SUCCESS);
            assertThat(success.finishedAt()).isEqualTo(NOW);
            assertThat(success.failureReason()).isNull();
        }

        @ParameterizedTest
        @EnumSource(value = JobStatus.class, names = {"SUCCESS", "FAILED", "CANCELED", "SKIPPED"})
        void aFinishedJobCannotBeDroppedOrSucceededAgain(JobStatus status) {
            Job job = JobFixtures.inStatus(status);
            assertThatThrownBy(() -> job.drop(FailureReason.SCRIPT_FAILURE, 1, NOW))
                    .isInstanceOf(InvalidTransitionException.class);
            assertThatThrownBy(() -> job.succeed(NOW)).isInstanceOf(InvalidTransitionException.class);
        }

        @ParameterizedTest
        @CsvSource({"script_failure,SCRIPT_FAILURE", "runner_system_failure,RUNNER_SYSTEM_FAILURE",
                "something_new,UNKNOWN_FAILURE", "SCRIPT_FAILURE,UNKNOWN_FAILURE", "'',UNKNOWN_FAILURE"})
        void anUnknownRunnerReasonIsUnknownFailure(String given, FailureReason expected) {
            assertThat(FailureReason.fromRunner(given)).isEqualTo(expected);
        }

        @Test
        void aFailedJobAlwaysHasAFailureReason() {
            Job failed = JobFixtures.created().toBuilder().status(FAILED).build();
            assertThat(failed.failureReason()).isEqualTo(FailureReason.UNKNOWN_FAILURE);
        }
    }

    @Nested
    class Cancel {
        @Test
        void cancelOfARunningJobWaitsForTheRunnerWhenItCancelsGracefully() {
            Job canceling = JobFixtures.inStatus(RUNNING).cancel(true, NOW);
            assertThat(canceling.status()).isEqualTo(CANCELING);
            assertThat(canceling.finishedAt()).isNull();
        }

        @Test
        void cancelOfARunningJobIsImmediateOtherwise() {
            Job canceled = JobFixtures.inStatus(RUNNING).cancel(false, NOW);
            assertThat(canceled.status()).isEqualTo(CANCELED);
            assertThat(canceled.finishedAt()).isEqualTo(NOW);
        }

        @ParameterizedTest
        @EnumSource(value = JobStatus.class, names = {"SUCCESS", "FAILED", "CANCELED", "SKIPPED", "CANCELING"})
        void cancelNeverFailsOnStateItLeavesTheJobAsItWas(JobStatus status) {
            Job job = JobFixtures.inStatus(status);
            assertThat(job.cancel(true, NOW)).isSameAs(job);
            assertThat(job.cancel(false, NOW)).isSameAs(job);
        }

        @Test
        void cancelOfAManualJob() {
            assertThat(JobFixtures.inStatus(MANUAL).cancel(false, NOW).status()).isEqualTo(CANCELED);
        }

        @Test
        void forceCancelFinishesACancelingJob() {
            Job canceled = JobFixtures.inStatus(CANCELING).forceCancel(NOW);
            assertThat(canceled.status()).isEqualTo(CANCELED);
            assertThat(canceled.finishedAt()).isEqualTo(NOW);
        }

        @ParameterizedTest
        @EnumSource(value = JobStatus.class, names = "CANCELING", mode = EnumSource.Mode.EXCLUDE)
        void forceCancelLeavesAnyOtherJobAsItWas(JobStatus status) {
            Job job = JobFixtures.inStatus(status);
            assertThat(job.forceCancel(NOW)).isSameAs(job);
        }
    }

    @Nested
    class Definition {
        @Test
        void tagsAreSortedAndDistinctAsGitLabSerializesThem() {
            JobSpec spec = JobSpec.simple("a", "test", 0).withTags(List.of("z", "a", "m", "a"));
            assertThat(spec.tags()).containsExactly("a", "m", "z");
        }

        @Test
        void needsMakeAJobADagJobEvenWhenEmpty() {
            assertThat(JobSpec.simple("a", "test", 0).dag()).isFalse();
            assertThat(JobSpec.simple("a", "test", 0).withNeeds(List.of()).dag()).isTrue();
        }

        @Test
        void aDelayedJobNeedsANonNegativeStartIn() {
            JobSpec spec = JobSpec.simple("a", "test", 0);
            assertThatThrownBy(() -> spec.withWhen(WhenCondition.DELAYED, null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> spec.withWhen(WhenCondition.DELAYED, Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(spec.withWhen(WhenCondition.DELAYED, Duration.ZERO).isAction()).isTrue();
        }

        @Test
        void namesAreOneTo255Characters() {
            assertThatThrownBy(() -> JobSpec.simple(" ", "test", 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> JobSpec.simple("x".repeat(256), "test", 0))
                    .isInstanceOf(TextTooLongException.class)
                    .hasMessage("name is too long (maximum is 255 characters)");
            assertThat(JobSpec.simple("x".repeat(255), "test", 0).name()).hasSize(255);
        }

        @ParameterizedTest
        @CsvSource({"A_1,true", "a,true", "'',false", "A-B,false", "A B,false", "Ä,false"})
        void variableKeysAreLettersDigitsAndUnderscores(String key, boolean valid) {
            if (valid) {
                assertThat(JobVariable.of(key, "v").key()).isEqualTo(key);
            } else {
                assertThatThrownBy(() -> JobVariable.of(key, "v")).isInstanceOf(IllegalArgumentException.class);
            }
        }

        @ParameterizedTest
        @CsvSource({"on_success,ON_SUCCESS", "on_failure,ON_FAILURE", "always,ALWAYS", "manual,MANUAL",
                "delayed,DELAYED", "never,NEVER"})
        void whenWireNames(String wire, WhenCondition when) {
            assertThat(WhenCondition.fromWireName(wire)).contains(when);
            assertThat(when.wireName()).isEqualTo(wire);
        }

        @Test
        void idsArePositive() {
            assertThatThrownBy(() -> JobId.of(0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(JobId.of(3).compareTo(JobId.of(5))).isNegative();
            assertThat(JobId.of(42)).hasToString("42");
        }
    }
}
