package io.jobyard.domain.job;

import io.jobyard.domain.fixtures.JobFixtures;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

import static io.jobyard.domain.job.JobStatus.CANCELED;
import static io.jobyard.domain.job.JobStatus.CANCELING;
import static io.jobyard.domain.job.JobStatus.CREATED;
import static io.jobyard.domain.job.JobStatus.FAILED;
import static io.jobyard.domain.job.JobStatus.MANUAL;
import static io.jobyard.domain.job.JobStatus.PENDING;
import static io.jobyard.domain.job.JobStatus.PREPARING;
import static io.jobyard.domain.job.JobStatus.RUNNING;
import static io.jobyard.domain.job.JobStatus.SCHEDULED;
import static io.jobyard.domain.job.JobStatus.SKIPPED;
import static io.jobyard.domain.job.JobStatus.SUCCESS;
import static io.jobyard.domain.job.JobStatus.WAITING_FOR_CALLBACK;
import static io.jobyard.domain.job.JobStatus.WAITING_FOR_RESOURCE;
import static org.assertj.core.api.Assertions.assertThat;

/** Contract §2.1 (status sets), §2.3 (predicates), §2.5 (archived) and the derived durations. */
class JobPredicatesTest {

    private static final Instant NOW = JobFixtures.T0.plus(Duration.ofMinutes(10));

    @Nested
    class StatusSets {
        @Test
        void setsAreTheContractsLists() {
            assertThat(JobStatus.ACTIVE)
                    .containsExactlyInAnyOrder(WAITING_FOR_RESOURCE, PREPARING, WAITING_FOR_CALLBACK, PENDING, RUNNING);
            assertThat(JobStatus.COMPLETED).containsExactlyInAnyOrder(SUCCESS, FAILED, CANCELED, SKIPPED);
            assertThat(JobStatus.BLOCKED).containsExactlyInAnyOrder(MANUAL, SCHEDULED);
            assertThat(JobStatus.STOPPED)
                    .containsExactlyInAnyOrder(SUCCESS, FAILED, CANCELED, SKIPPED, MANUAL, SCHEDULED);
            assertThat(JobStatus.EXECUTING).containsExactlyInAnyOrder(RUNNING, CANCELING);
            assertThat(JobStatus.STARTED).containsExactlyInAnyOrder(RUNNING, SUCCESS, FAILED);
            assertThat(JobStatus.ALIVE).containsExactlyInAnyOrder(CREATED, WAITING_FOR_RESOURCE, PREPARING,
                    WAITING_FOR_CALLBACK, PENDING, RUNNING, CANCELING);
            assertThat(JobStatus.CANCELABLE).containsExactlyInAnyOrder(CREATED, WAITING_FOR_RESOURCE, PREPARING,
                    WAITING_FOR_CALLBACK, PENDING, RUNNING, SCHEDULED);
            assertThat(JobStatus.FINISHED).containsExactlyInAnyOrder(SUCCESS, FAILED, CANCELED);
        }

        @Test
        void cancelableIsAliveAndScheduledWithoutCanceling() {
            EnumSet<JobStatus> expected = EnumSet.copyOf(JobStatus.ALIVE);
            expected.add(SCHEDULED);
            expected.remove(CANCELING);
            assertThat(JobStatus.CANCELABLE).isEqualTo(expected);
        }

        @ParameterizedTest
        @EnumSource(JobStatus.class)
        void predicatesOnTheStatusAgreeWithTheSets(JobStatus status) {
            assertThat(status.isComplete()).isEqualTo(JobStatus.COMPLETED.contains(status));
            assertThat(status.isActive()).isEqualTo(JobStatus.ACTIVE.contains(status));
            assertThat(status.isAlive()).isEqualTo(JobStatus.ALIVE.contains(status));
            assertThat(status.isExecuting()).isEqualTo(JobStatus.EXECUTING.contains(status));
        }

        @ParameterizedTest
        @CsvSource({
                "created,0", "pending,1", "running,2", "success,3", "failed,4", "canceled,5", "skipped,6",
                "manual,7", "scheduled,8", "preparing,9", "waiting_for_resource,10", "waiting_for_callback,11",
                "canceling,12"})
        void wireNamesAndCodesAreGitLabs(String wire, int code) {
            JobStatus status = JobStatus.fromWireName(wire).orElseThrow();
            assertThat(status.code()).isEqualTo(code);
            assertThat(status.wireName()).isEqualTo(wire);
            assertThat(JobStatus.fromCode(code)).isEqualTo(status);
        }

        @Test
        void unknownWireNamesAndCodesAreRefused() {
            assertThat(JobStatus.fromWireName("RUNNING")).isEmpty();
            assertThat(JobStatus.fromWireName("finished")).isEmpty();
            assertThat(JobStatus.fromWireName(null)).isEmpty();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobStatus.fromCode(13))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Cancelable {
        @ParameterizedTest
        @CsvSource({
                "created,true", "waiting_for_resource,true", "preparing,true", "waiting_for_callback,true",
                "pending,true", "running,true", "canceling,false", "success,false", "failed,false",
                "canceled,false", "skipped,false", "manual,false", "scheduled,false"})
        void cancelableIsActiveOrCreatedButNotCanceling(String status, boolean cancelable) {
            assertThat(JobFixtures.inStatus(JobStatus.fromWireName(status).orElseThrow()).cancelable())
                    .isEqualTo(cancelable);
        }
    }

    @Nested
    class Retryable {
        @ParameterizedTest
        @CsvSource({
                "success,true", "failed,true", "canceled,true", "canceling,true",
                "skipped,false", "manual,false", "created,false", "running,false", "pending,false",
                "scheduled,false", "preparing,false", "waiting_for_resource,false", "waiting_for_callback,false"})
        void onlyCompletedOrCancelingJobsAreRetryable(String status, boolean retryable) {
            Job job = JobFixtures.inStatus(JobStatus.fromWireName(status).orElseThrow());
            assertThat(job.retryable(false)).isEqualTo(retryable);
        }

        @Test
        void aRetriedJobIsNotRetryableAgain() {
            Job failed = JobFixtures.inStatus(FAILED);
            assertThat(failed.markRetried(NOW).retryable(false)).isFalse();
        }

        @Test
        void anArchivedJobIsNotRetryable() {
            assertThat(JobFixtures.inStatus(FAILED).retryable(true)).isFalse();
        }
    }

    @Nested
    class Playable {
        private final JobSpec manual = JobSpec.simple("deploy", "deploy", 1).withWhen(WhenCondition.MANUAL, null);
        private final JobSpec delayed =
                JobSpec.simple("deploy", "deploy", 1).withWhen(WhenCondition.DELAYED, Duration.ofMinutes(5));

        @Test
        void aManualJobWaitingForAPersonIsPlayable() {
            assertThat(JobFixtures.inStatus(MANUAL, manual).playable(false)).isTrue();
        }

        @Test
        void aScheduledDelayedJobIsPlayable() {
            assertThat(JobFixtures.inStatus(SCHEDULED, delayed).playable(false)).isTrue();
        }

        @ParameterizedTest
        @EnumSource(value = JobStatus.class, names = {"SUCCESS", "FAILED", "CANCELED", "CANCELING"})
        void aFinishedManualJobIsPlayableBecauseItIsRetryable(JobStatus status) {
            assertThat(JobFixtures.inStatus(status, manual).playable(false)).isTrue();
            assertThat(JobFixtures.inStatus(status, manual).markRetried(NOW).playable(false)).isFalse();
        }

        @ParameterizedTest
        @EnumSource(value = JobStatus.class, names = {"CREATED", "PENDING", "RUNNING", "SKIPPED", "PREPARING",
                "WAITING_FOR_RESOURCE"})
        void aManualJobInAnyOtherStatusIsNotPlayable(JobStatus status) {
            assertThat(JobFixtures.inStatus(status, manual).playable(false)).isFalse();
        }

        @Test
        void anArchivedManualJobIsNotPlayable() {
            assertThat(JobFixtures.inStatus(MANUAL, manual).playable(true)).isFalse();
            assertThat(JobFixtures.inStatus(SCHEDULED, delayed).playable(true)).isFalse();
        }

        @ParameterizedTest
        @EnumSource(value = WhenCondition.class, names = {"ON_SUCCESS", "ON_FAILURE", "ALWAYS", "NEVER"})
        void aJobThatIsNotAnActionIsNeverPlayable(WhenCondition when) {
            JobSpec spec = JobSpec.simple("test", "test", 1).withWhen(when, null);
            assertThat(JobFixtures.inStatus(MANUAL, spec).playable(false)).isFalse();
            assertThat(JobFixtures.inStatus(FAILED, spec).playable(false)).isFalse();
            assertThat(spec.isAction()).isFalse();
        }
    }

    @Nested
    class Erasable {
        @ParameterizedTest
        @EnumSource(value = JobStatus.class, names = {"SUCCESS", "FAILED", "CANCELED", "SKIPPED"})
        void aCompleteJobWithSomethingToEraseIsErasable(JobStatus status) {
            assertThat(JobFixtures.inStatus(status).erasable(true)).isTrue();
            assertThat(JobFixtures.inStatus(status).erasable(false)).isFalse();
        }

        @ParameterizedTest
        @EnumSource(value = JobStatus.class, names = {"SUCCESS", "FAILED", "CANCELED", "SKIPPED"},
                mode = EnumSource.Mode.EXCLUDE)
        void anIncompleteJobIsNotErasable(JobStatus status) {
            assertThat(JobFixtures.inStatus(status).erasable(true)).isFalse();
        }

        @Test
        void erasedIsWhetherErasedAtIsSet() {
            Job job = JobFixtures.inStatus(SUCCESS);
            assertThat(job.erased()).isFalse();
            assertThat(job.erase(JobFixtures.USER, NOW).erased()).isTrue();
        }
    }

    @Nested
    class ArtifactsExpiry {
        @Test
        void artifactsWithoutExpiryNeverExpire() {
            assertThat(JobFixtures.inStatus(SUCCESS).artifactsExpired(NOW.plus(Duration.ofDays(10_000)))).isFalse();
        }

        @Test
        void artifactsExpireOnceTheExpiryIsInThePast() {
            Job job = JobFixtures.inStatus(SUCCESS).withArtifactsExpireAt(NOW, NOW);
            assertThat(job.artifactsExpired(NOW.minusMillis(1))).isFalse();
            assertThat(job.artifactsExpired(NOW)).as("expire_at == now is not yet in the past").isFalse();
            assertThat(job.artifactsExpired(NOW.plusMillis(1))).isTrue();
        }
    }

    @Nested
    class Archived {
        private final Job job = JobFixtures.inStatus(SUCCESS); // created at T0

        @Test
        void withoutAnAgeLimitOnlyDegeneratedJobsAreArchived() {
            Instant muchLater = JobFixtures.T0.plus(Duration.ofDays(3650));
            assertThat(ArchivePolicy.NEVER.isArchived(job, muchLater)).isFalse();
            assertThat(ArchivePolicy.NEVER.isArchived(job.toBuilder().degenerated(true).build(), NOW)).isTrue();
        }

        @Test
        void jobsCreatedBeforeTheAgeLimitAreArchived() {
            ArchivePolicy policy = new ArchivePolicy(Duration.ofDays(90));
            Instant limit = JobFixtures.T0.plus(Duration.ofDays(90));
            assertThat(policy.isArchived(job, limit.minusSeconds(1))).isFalse();
            assertThat(policy.isArchived(job, limit)).as("created exactly at the limit").isFalse();
            assertThat(policy.isArchived(job, limit.plusSeconds(1))).isTrue();
        }

        @Test
        void aDegeneratedJobIsArchivedWhateverItsAge() {
            assertThat(new ArchivePolicy(Duration.ofDays(90))
                    .isArchived(job.toBuilder().degenerated(true).build(), JobFixtures.T0)).isTrue();
        }

        @Test
        void theAgeLimitMustBePositive() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ArchivePolicy(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ArchivePolicy(Duration.ofDays(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Durations {
        @Test
        void durationRunsLiveWhileTheJobRuns() {
            Job running = JobFixtures.inStatus(RUNNING); // started at T0 + 120 s
            assertThat(running.duration(JobFixtures.STARTED_AT.plusMillis(1500))).contains(1.5);
            assertThat(running.duration(JobFixtures.STARTED_AT.plusSeconds(60))).contains(60.0);
        }

        @Test
        void durationOfAFinishedJobIsFromStartToFinish() {
            Job done = JobFixtures.inStatus(SUCCESS); // 120 s → 180 s
            assertThat(done.duration(NOW.plus(Duration.ofDays(1)))).contains(60.0);
        }

        @Test
        void durationIsAbsentWhenTheJobNeverStarted() {
            assertThat(JobFixtures.inStatus(PENDING).duration(NOW)).isEmpty();
            assertThat(JobFixtures.created().duration(NOW)).isEmpty();
            Job canceledBeforeStart = JobFixtures.created().cancel(false, NOW);
            assertThat(canceledBeforeStart.finishedAt()).isEqualTo(NOW);
            assertThat(canceledBeforeStart.duration(NOW.plusSeconds(5))).isEmpty();
        }

        @Test
        void queuedDurationRunsLiveWhileTheJobWaitsForARunner() {
            Job pending = JobFixtures.inStatus(PENDING); // queued at T0 + 60 s
            assertThat(pending.queuedDuration(JobFixtures.QUEUED_AT.plusSeconds(42))).contains(42.0);
        }

        @Test
        void queuedDurationIsFromQueuedToStarted() {
            Job running = JobFixtures.inStatus(RUNNING); // queued 60 s, started 120 s
            assertThat(running.queuedDuration(NOW.plus(Duration.ofHours(5)))).contains(60.0);
        }

        @Test
        void queuedDurationIsAbsentWhenTheJobWasNeverQueued() {
            assertThat(JobFixtures.created().queuedDuration(NOW)).isEmpty();
            assertThat(JobFixtures.inStatus(MANUAL).queuedDuration(NOW)).isEmpty();
        }
    }
}
