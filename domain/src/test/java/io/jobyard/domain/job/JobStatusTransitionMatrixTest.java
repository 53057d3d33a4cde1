package io.jobyard.domain.job;

import io.jobyard.domain.error.InvalidTransitionException;
import io.jobyard.domain.fixtures.JobFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

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
import static io.jobyard.domain.job.JobStatus.WAITING_FOR_RESOURCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The full status × event matrix of contract §2.2. Every (status, event) pair is one row of {@link #MATRIX}; each row
 * is checked under every {@link TransitionContext} (resource group, unmet prerequisites, graceful cancel, force
 * cancel, scheduled time reached: all 32 combinations), first on the table itself ({@link JobStatus#next}), then
 * through {@link Job#apply} / {@link Job#tryApply} with the timestamps each transition must set.
 */
class JobStatusTransitionMatrixTest {

    /**
     * Contract §2.2, written from the contract (not from the implementation). Outcomes:
     * <pre>
     *   -                      no transition: apply raises, tryApply is empty
     *   &lt;status&gt;               that status in every context
     *   queue                  waiting_for_resource with a resource group, else preparing with unmet prerequisites,
     *                          else pending (enqueue)
     *   queue-when-due         queue, but only once the scheduled time is reached (enqueue_scheduled)
     *   preparing-or-pending   preparing with unmet prerequisites, else pending (enqueue_waiting_for_resource)
     *   pending-when-met       pending, only when prerequisites are met (enqueue_preparing)
     *   canceling-if-graceful  canceling when the runner supports graceful cancel, else canceled
     *   canceled-if-forced     canceled, only when force cancel is supported
     * </pre>
     */
    static final String MATRIX = """
            # from                event                         outcome
            created               process                       -
            created               enqueue                       queue
            created               enqueue_scheduled             -
            created               enqueue_waiting_for_resource  -
            created               enqueue_preparing             -
            created               actionize                     manual
            created               schedule                      scheduled
            created               unschedule                    -
            created               run                           -
            created               skip                          skipped
            created               drop                          failed
            created               success                       success
            created               cancel                        canceled
            created               force_cancel                  -

            waiting_for_resource  process                       -
            waiting_for_resource  enqueue                       -
            waiting_for_resource  enqueue_scheduled             -
            waiting_for_resource  enqueue_waiting_for_resource  preparing-or-pending
            waiting_for_resource  enqueue_preparing             -
            waiting_for_resource  actionize                     -
            waiting_for_resource  schedule                      -
            waiting_for_resource  unschedule                    -
            waiting_for_resource  run                           -
            waiting_for_resource  skip                          skipped
            waiting_for_resource  drop                          failed
            waiting_for_resource  success                       success
            waiting_for_resource  cancel                        canceled
            waiting_for_resource  force_cancel                  -

            preparing             process                       -
            preparing             enqueue                       -
            preparing             enqueue_scheduled             -
            preparing             enqueue_waiting_for_resource  -
            preparing             enqueue_preparing             pending-when-met
            preparing             actionize                     -
            preparing             schedule                      -
            preparing             unschedule                    -
            preparing             run                           -
            preparing             skip                          skipped
            preparing             drop                          failed
            preparing             success                       success
            preparing             cancel                        canceled
            preparing             force_cancel                  -

            waiting_for_callback  process                       -
            waiting_for_callback  enqueue                       -
            waiting_for_callback  enqueue_scheduled             -
            waiting_for_callback  enqueue_waiting_for_resource  -
            waiting_for_callback  enqueue_preparing             -
            waiting_for_callback  actionize                     -
            waiting_for_callback  schedule                      -
            waiting_for_callback  unschedule                    -
            waiting_for_callback  run                           -
            waiting_for_callback  skip                          -
            waiting_for_callback  drop                          failed
            waiting_for_callback  success                       success
            waiting_for_callback  cancel                        canceled
            waiting_for_callback  force_cancel                  -

            pending               process                       -
            pending               enqueue                       -
            pending               enqueue_scheduled             -
            pending               enqueue_waiting_for_resource  -
            pending               enqueue_preparing             -
            pending               actionize                     -
            pending               schedule                      -
            pending               unschedule                    -
            pending               run                           running
            pending               skip                          skipped
            pending               drop                          failed
            pending               success                       success
            pending               cancel                        canceled
            pending               force_cancel                  -

            running               process                       -
            running               enqueue                       -
            running               enqueue_scheduled             -
            running               enqueue_waiting_for_resource  -
            running               enqueue_preparing             -
            running               actionize                     -
            running               schedule                      -
            running               unschedule                    -
            running               run                           -
            running               skip                          -
            running               drop                          failed
            running               success                       success
            running               cancel                        canceling-if-graceful
            running               force_cancel                  -

            canceling             process                       -
            canceling             enqueue                       -
            canceling             enqueue_scheduled             -
            canceling             enqueue_waiting_for_resource  -
            canceling             enqueue_preparing             -
            canceling             actionize                     -
            canceling             schedule                      -
            canceling             unschedule                    -
            canceling             run                           -
            canceling             skip                          -
            canceling             drop                          canceled
            canceling             success                       canceled
            canceling             cancel                        -
            canceling             force_cancel                  canceled-if-forced

            success               process                       -
            success               enqueue                       -
            success               enqueue_scheduled             -
            success               enqueue_waiting_for_resource  -
            success               enqueue_preparing             -
            success               actionize                     -
            success               schedule                      -
            success               unschedule                    -
            success               run                           -
            success               skip                          -
            success               drop                          -
            success               success                       -
            success               cancel                        -
            success               force_cancel                  -

            failed                process                       -
            failed                enqueue                       -
            failed                enqueue_scheduled             -
            failed                enqueue_waiting_for_resource  -
            failed                enqueue_preparing             -
            failed                actionize                     -
            failed                schedule                      -
            failed                unschedule                    -
            failed                run                           -
            failed                skip                          -
            failed                drop                          -
            failed                success                       -
            failed                cancel                        -
            failed                force_cancel                  -

            canceled              process                       -
            canceled              enqueue                       -
            canceled              enqueue_scheduled             -
            canceled              enqueue_waiting_for_resource  -
            canceled              enqueue_preparing             -
            canceled              actionize                     -
            canceled              schedule                      -
            canceled              unschedule                    -
            canceled              run                           -
            canceled              skip                          -
            canceled              drop                          -
            canceled              success                       -
            canceled              cancel                        -
            canceled              force_cancel                  -

            skipped               process                       created
            skipped               enqueue                       queue
            skipped               enqueue_scheduled             -
            skipped               enqueue_waiting_for_resource  -
            skipped               enqueue_preparing             -
            skipped               actionize                     -
            skipped               schedule                      -
            skipped               unschedule                    -
            skipped               run                           -
            skipped               skip                          -
            skipped               drop                          -
            skipped               success                       -
            skipped               cancel                        -
            skipped               force_cancel                  -

            manual                process                       created
            manual                enqueue                       queue
            manual                enqueue_scheduled             -
            manual                enqueue_waiting_for_resource  -
            manual                enqueue_preparing             -
            manual                actionize                     -
            manual                schedule                      -
            manual                unschedule                    -
            manual                run                           -
            manual                skip                          -
            manual                drop                          failed
            manual                success                       -
            manual                cancel                        canceled
            manual                force_cancel                  -

            scheduled             process                       -
            scheduled             enqueue                       queue
            scheduled             enqueue_scheduled             queue-when-due
            scheduled             enqueue_waiting_for_resource  -
            scheduled             enqueue_preparing             -
            scheduled             actionize                     -
            scheduled             schedule                      -
            scheduled             unschedule                    manual
            scheduled             run                           -
            scheduled             skip                          -
            scheduled             drop                          failed
            scheduled             success                       -
            scheduled             cancel                        canceled
            scheduled             force_cancel                  -
            """;

    private static final Instant NOW = JobFixtures.T0.plus(Duration.ofMinutes(10));
    private static final Duration START_IN = Duration.ofMinutes(30);
    /** A delayed job's spec, so that schedule has a start_in to add; transitions do not depend on the spec. */
    private static final JobSpec SPEC = JobSpec.simple("deploy", "deploy", 2)
            .withWhen(WhenCondition.DELAYED, START_IN);

    private static final Set<JobStatus> QUEUED_AT_SOURCES =
            EnumSet.of(CREATED, WAITING_FOR_RESOURCE, PREPARING, SKIPPED, MANUAL, SCHEDULED);
    private static final Set<JobStatus> STARTED_AT_SOURCES = EnumSet.of(CREATED, PREPARING, PENDING);
    private static final Set<JobStatus> FINISHED_TARGETS = EnumSet.of(SUCCESS, FAILED, CANCELED);

    record Row(JobStatus from, JobEvent event, String outcome) {
        @Override
        public String toString() {
            return from.wireName() + " --" + eventName(event) + "--> " + outcome;
        }

        /** What the contract says this pair leads to in {@code context}. */
        Optional<JobStatus> expected(TransitionContext c) {
            JobStatus queue = c.hasResourceGroup() ? WAITING_FOR_RESOURCE : c.unmetPrerequisites() ? PREPARING : PENDING;
            return switch (outcome) {
                case "-" -> Optional.empty();
                case "queue" -> Optional.of(queue);
                case "queue-when-due" -> c.scheduledTimeReached() ? Optional.of(queue) : Optional.empty();
                case "preparing-or-pending" -> Optional.of(c.unmetPrerequisites() ? PREPARING : PENDING);
                case "pending-when-met" -> c.unmetPrerequisites() ? Optional.empty() : Optional.of(PENDING);
                case "canceling-if-graceful" -> Optional.of(c.gracefulCancelSupported() ? CANCELING : CANCELED);
                case "canceled-if-forced" -> c.forceCancelSupported() ? Optional.of(CANCELED) : Optional.empty();
                default -> Optional.of(JobStatus.fromWireName(outcome)
                        .orElseThrow(() -> new IllegalArgumentException("unknown outcome " + outcome)));
            };
        }
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String line : MATRIX.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] cells = trimmed.split("\s+");
            if (cells.length != 3) {
                throw new IllegalArgumentException("matrix line needs three cells: " + line);
            }
            rows.add(new Row(
                    JobStatus.fromWireName(cells[0]).orElseThrow(() -> new IllegalArgumentException(cells[0])),
                    event(cells[1]),
                    cells[2]));
        }
        return rows;
    }

    static Stream<Row> matrix() {
        return rows().stream();
    }

    /** Every combination of the five facts a transition may depend on. */
    static List<TransitionContext> allContexts() {
        List<TransitionContext> contexts = new ArrayList<>();
        for (int bits = 0; bits < 32; bits++) {
            contexts.add(new TransitionContext((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0,
                    (bits & 16) != 0));
        }
        return contexts;
    }

    @Test
    void theMatrixHasExactlyOneRowForEveryStatusAndEvent() {
        List<Row> rows = rows();
        Set<String> pairs = new HashSet<>();
        for (Row row : rows) {
            assertThat(pairs.add(row.from() + "/" + row.event())).as("duplicate row %s", row).isTrue();
            row.expected(TransitionContext.plain()); // every outcome cell is one the legend knows
        }
        assertThat(rows).hasSize(JobStatus.values().length * JobEvent.values().length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void theTransitionTableFollowsTheContract(Row row) {
        for (TransitionContext context : allContexts()) {
            assertThat(row.from().next(row.event(), context)).as("%s in %s", row, context)
                    .isEqualTo(row.expected(context));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void applyingTheEventToAJobSetsExactlyTheContractsSideEffects(Row row) {
        Job before = JobFixtures.inStatus(row.from(), SPEC);
        for (TransitionContext context : allContexts()) {
            Optional<JobStatus> target = row.expected(context);
            if (target.isEmpty()) {
                assertRefused(before, row, context);
            } else {
                Job after = before.apply(row.event(), context, NOW);
                assertThat(after).as("%s in %s", row, context).isEqualTo(expectedJob(before, target.get()));
                assertThat(before.tryApply(row.event(), context, NOW)).contains(after);
            }
        }
    }

    /** The job the contract's side effects make: only the listed fields change, everything else stays. */
    private static Job expectedJob(Job before, JobStatus target) {
        JobStatus from = before.status();
        Job.Builder expected = before.toBuilder().status(target).updatedAt(NOW);
        if (target == PENDING && QUEUED_AT_SOURCES.contains(from)) {
            expected.queuedAt(NOW);
        }
        if (target == RUNNING && STARTED_AT_SOURCES.contains(from)) {
            expected.startedAt(NOW);
        }
        if (FINISHED_TARGETS.contains(target)) {
            expected.finishedAt(NOW);
        }
        if (target == FAILED) {
            expected.failureReason(FailureReason.UNKNOWN_FAILURE);
        }
        if (target == WAITING_FOR_RESOURCE) {
            expected.waitingForResourceAt(NOW);
        }
        if (target == SCHEDULED) {
            expected.scheduledAt(NOW.plus(START_IN));
        } else if (from == SCHEDULED) {
            expected.scheduledAt(null);
        }
        return expected.build();
    }

    private static void assertRefused(Job before, Row row, TransitionContext context) {
        Job copy = before.toBuilder().build();
        assertThatThrownBy(() -> before.apply(row.event(), context, NOW)).as("%s in %s", row, context)
                .isInstanceOf(InvalidTransitionException.class)
                .hasMessageContaining(row.from().wireName());
        assertThat(before.tryApply(row.event(), context, NOW)).as("%s in %s", row, context).isEmpty();
        assertThat(before).isEqualTo(copy);
    }

    private static JobEvent event(String gitlabName) {
        return gitlabName.equals("success") ? JobEvent.SUCCEED
                : JobEvent.valueOf(gitlabName.toUpperCase(Locale.ROOT));
    }

    private static String eventName(JobEvent event) {
        return event == JobEvent.SUCCEED ? "success" : event.name().toLowerCase(Locale.ROOT);
    }

    @Test
    void namedContextsReachTheContractsConditionalTargets() {
        TransitionContext plain = TransitionContext.plain();
        assertThat(CREATED.next(JobEvent.ENQUEUE, plain)).contains(PENDING);
        assertThat(CREATED.next(JobEvent.ENQUEUE, plain.withResourceGroup(true))).contains(WAITING_FOR_RESOURCE);
        assertThat(CREATED.next(JobEvent.ENQUEUE, plain.withUnmetPrerequisites(true))).contains(PREPARING);
        assertThat(CREATED.next(JobEvent.ENQUEUE, plain.withResourceGroup(true).withUnmetPrerequisites(true)))
                .as("the resource group comes first").contains(WAITING_FOR_RESOURCE);
        assertThat(SCHEDULED.next(JobEvent.ENQUEUE_SCHEDULED, plain.withScheduledTimeReached(false))).isEmpty();
        assertThat(SCHEDULED.next(JobEvent.ENQUEUE_SCHEDULED, plain)).contains(PENDING);
        assertThat(RUNNING.next(JobEvent.CANCEL, plain)).contains(CANCELED);
        assertThat(RUNNING.next(JobEvent.CANCEL, plain.withGracefulCancel(true))).contains(CANCELING);
        assertThat(CANCELING.next(JobEvent.FORCE_CANCEL, plain)).isEmpty();
        assertThat(CANCELING.next(JobEvent.FORCE_CANCEL, plain.withGracefulCancel(true))).contains(CANCELED);
        assertThat(PREPARING.next(JobEvent.ENQUEUE_PREPARING, plain.withUnmetPrerequisites(true))).isEmpty();
    }

    @Test
    void schedulingAJobWithoutStartInSchedulesItForNow() {
        Job job = JobFixtures.created(JobSpec.simple("deploy", "deploy", 0));

        Job scheduled = job.apply(JobEvent.SCHEDULE, TransitionContext.plain(), NOW);

        assertThat(scheduled.scheduledAt()).isEqualTo(NOW);
    }

    @Test
    void dropKeepsAFailureReasonAlreadyGivenInsteadOfUnknownFailure() {
        Job running = JobFixtures.inStatus(RUNNING).toBuilder()
                .failureReason(FailureReason.STUCK_OR_TIMEOUT_FAILURE).build();

        Job failed = running.apply(JobEvent.DROP, TransitionContext.plain(), NOW);

        assertThat(failed.failureReason()).isEqualTo(FailureReason.STUCK_OR_TIMEOUT_FAILURE);
    }
}
