package io.jobyard.domain.job;

import io.jobyard.domain.error.InvalidTransitionException;
import io.jobyard.domain.fixtures.JobFixtures;
import io.jobyard.domain.runner.RunnerId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.jobyard.domain.job.JobStatus.CANCELING;
import static io.jobyard.domain.job.JobStatus.FAILED;
import static io.jobyard.domain.job.JobStatus.PENDING;
import static io.jobyard.domain.job.JobStatus.RUNNING;
import static io.jobyard.domain.job.JobStatus.SCHEDULED;
import static io.jobyard.domain.job.JobStatus.SKIPPED;
import static io.jobyard.domain.job.JobStatus.WAITING_FOR_RESOURCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Any sequence of events, in any contexts, on a clock that never goes back, keeps a job's invariants.
 *
 * <p>What holds, precisely (contract §2.2): a complete status does NOT always stay complete — GitLab lets
 * {@code process} and {@code enqueue} bring a skipped job back. What does hold is that success, failed and canceled
 * are final (no event leaves them, nothing about the job changes), and that skipped is only left by process or
 * enqueue.
 */
class JobStateMachinePropertyTest {

    /** One step: an event in a context, how far the clock moves first, and whether it goes through Job's API. */
    record Step(JobEvent event, TransitionContext context, int advanceMillis, boolean viaApi) {
    }

    @Provide
    Arbitrary<Step> steps() {
        Arbitrary<TransitionContext> contexts = Combinators.combine(
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as(TransitionContext::new);
        // Zero is frequent on purpose: two transitions in the same millisecond must still keep the order.
        Arbitrary<Integer> advance = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 3_600_000)));
        return Combinators.combine(Arbitraries.of(JobEvent.class), contexts, advance, Arbitraries.of(true, false))
                .as(Step::new);
    }

    @Provide
    Arbitrary<JobSpec> specs() {
        Arbitrary<WhenCondition> when = Arbitraries.of(WhenCondition.class);
        Arbitrary<Integer> startInSeconds = Arbitraries.integers().between(0, 86_400);
        return Combinators.combine(when, startInSeconds, Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((w, startIn, allowFailure, resourceGroup) -> {
                    JobSpec spec = JobSpec.simple("job", "test", 0)
                            .withWhen(w, w == WhenCondition.DELAYED ? Duration.ofSeconds(startIn) : null)
                            .withAllowFailure(allowFailure);
                    return resourceGroup ? spec.withResourceGroup("production") : spec;
                });
    }

    @Property(tries = 1000)
    void anySequenceOfEventsKeepsTheInvariants(@ForAll("specs") JobSpec spec,
                                              @ForAll @Size(max = 40) List<@From("steps") Step> steps) {
        Instant now = JobFixtures.T0;
        Job job = JobFixtures.created(spec);
        assertInvariants(job);
        for (Step step : steps) {
            now = now.plusMillis(step.advanceMillis());
            Job before = job;
            job = fire(before, step, now);

            assertInvariants(job);
            assertSameIdentity(before, job);
            if (!job.equals(before)) {
                assertThat(job.updatedAt()).isEqualTo(now);
            }
            if (JobStatus.FINISHED.contains(before.status())) {
                assertThat(job).as("%s is final", before.status()).isEqualTo(before);
            }
            if (before.status() == SKIPPED && job.status() != SKIPPED) {
                assertThat(step.event()).isIn(JobEvent.PROCESS, JobEvent.ENQUEUE);
            }
        }
    }

    /**
     * Fires the step: through the transition table ({@code apply}/{@code tryApply}, which must agree), or through the
     * operations the API and the runner use.
     */
    private static Job fire(Job job, Step step, Instant now) {
        Optional<JobStatus> target = job.status().next(step.event(), step.context());
        Optional<Job> tried = job.tryApply(step.event(), step.context(), now);
        assertThat(tried.map(Job::status)).isEqualTo(target);
        if (target.isEmpty()) {
            assertThatThrownBy(() -> job.apply(step.event(), step.context(), now))
                    .isInstanceOf(InvalidTransitionException.class);
        }
        if (!step.viaApi()) {
            return tried.orElse(job);
        }
        boolean graceful = step.context().gracefulCancelSupported();
        return switch (step.event()) {
            case RUN -> target.isPresent() ? job.run(RunnerId.of(3), "digest", now) : job;
            case DROP -> target.isPresent() ? job.drop(FailureReason.RUNNER_SYSTEM_FAILURE, 137, now) : job;
            case SUCCEED -> target.isPresent() ? job.succeed(now) : job;
            case CANCEL -> {
                Job canceled = job.cancel(graceful, now);
                assertThat(canceled.status())
                        .isEqualTo(job.status().next(JobEvent.CANCEL, TransitionContext.plain()
                                .withGracefulCancel(graceful)).orElse(job.status()));
                yield canceled;
            }
            case FORCE_CANCEL -> job.forceCancel(now);
            default -> tried.orElse(job);
        };
    }

    private static void assertInvariants(Job job) {
        JobStatus status = job.status();
        // created ≤ queued ≤ started ≤ finished, for every pair that is set
        Instant[] times = {job.createdAt(), job.queuedAt(), job.startedAt(), job.finishedAt()};
        for (int i = 0; i < times.length; i++) {
            for (int j = i + 1; j < times.length; j++) {
                if (times[i] != null && times[j] != null) {
                    assertThat(times[i]).as("timestamps out of order in %s", job).isBeforeOrEqualTo(times[j]);
                }
            }
        }
        assertThat(job.finishedAt() != null).as("finished_at iff finished: %s", job)
                .isEqualTo(JobStatus.FINISHED.contains(status));
        assertThat(job.failureReason() != null).as("failure_reason iff failed: %s", job).isEqualTo(status == FAILED);
        if (job.exitCode() != null) {
            assertThat(status).isEqualTo(FAILED);
        }
        assertThat(job.scheduledAt() != null).as("scheduled_at iff scheduled: %s", job)
                .isEqualTo(status == SCHEDULED);
        if (status == WAITING_FOR_RESOURCE) {
            assertThat(job.waitingForResourceAt()).isNotNull();
        }
        if (status == PENDING) {
            assertThat(job.queuedAt()).isNotNull();
        }
        if (EnumSet.of(RUNNING, CANCELING).contains(status)) {
            assertThat(job.queuedAt()).isNotNull();
            assertThat(job.startedAt()).isNotNull();
        }
        if (job.startedAt() != null) {
            assertThat(status).as("only a run sets started_at")
                    .isIn(Set.of(RUNNING, CANCELING, JobStatus.SUCCESS, FAILED, JobStatus.CANCELED));
        }
        assertThat(job.duration(job.updatedAt()).isPresent()).isEqualTo(job.startedAt() != null);
        job.duration(job.updatedAt()).ifPresent(d -> assertThat(d).isNotNegative());
        job.queuedDuration(job.updatedAt()).ifPresent(d -> assertThat(d).isNotNegative());
    }

    private static void assertSameIdentity(Job before, Job after) {
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.projectId()).isEqualTo(before.projectId());
        assertThat(after.pipelineId()).isEqualTo(before.pipelineId());
        assertThat(after.spec()).isEqualTo(before.spec());
        assertThat(after.ref()).isEqualTo(before.ref());
        assertThat(after.createdAt()).isEqualTo(before.createdAt());
        assertThat(after.userId()).isEqualTo(before.userId());
        assertThat(after.retried()).isEqualTo(before.retried());
        assertThat(after.lockVersion()).isEqualTo(before.lockVersion());
    }
}
