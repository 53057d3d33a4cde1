package io.jobyard.domain.pipeline;

import io.jobyard.domain.fixtures.JobFixtures;
import io.jobyard.domain.fixtures.PipelineRun;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobEvent;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.TransitionContext;
import io.jobyard.domain.job.WhenCondition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random pipelines (stages, needs on jobs of earlier stages, every {@code when}, allowed failures, resource groups)
 * driven by random runner outcomes, retries and plays, with processing after every step, as the services will do.
 * After every step: exactly one latest job per name, processing is at a fixpoint, every decision processing took is
 * the one GitLab's ProcessBuildService takes, every skipped job is still consistent with what it waits for (retries
 * and plays reopened what they had to), finished and retried jobs never change, and the pipeline status equals a
 * brute-force recomputation from the composite rules written here independently of {@link CompositeStatus}.
 */
class PipelineProcessingPropertyTest {

    /** A job as generated: its stage, when, allow_failure, resource group, and (for DAG jobs) a mask of its needs. */
    record PlannedJob(int stage, WhenCondition when, boolean allowFailure, boolean dag, int needsMask,
                      boolean resourceGroup) {
    }

    @Provide
    Arbitrary<PlannedJob> plannedJobs() {
        Arbitrary<WhenCondition> when = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(WhenCondition.ON_SUCCESS)),
                Tuple.of(2, Arbitraries.just(WhenCondition.ON_FAILURE)),
                Tuple.of(2, Arbitraries.just(WhenCondition.ALWAYS)),
                Tuple.of(2, Arbitraries.just(WhenCondition.MANUAL)),
                Tuple.of(1, Arbitraries.just(WhenCondition.DELAYED)),
                Tuple.of(1, Arbitraries.just(WhenCondition.NEVER)));
        return Combinators.combine(Arbitraries.integers().between(0, 3), when, Arbitraries.of(true, false),
                        Arbitraries.of(true, false), Arbitraries.integers().between(0, 255),
                        Arbitraries.frequency(Tuple.of(1, true), Tuple.of(6, false)))
                .as(PlannedJob::new);
    }

    /** Builds the pipeline: jobs ordered by stage, named j0…, DAG needs only on jobs of earlier stages. */
    static PipelineRun pipeline(List<PlannedJob> plan) {
        List<PlannedJob> ordered = plan.stream().sorted(Comparator.comparingInt(PlannedJob::stage)).toList();
        PipelineRun run = new PipelineRun();
        for (int i = 0; i < ordered.size(); i++) {
            PlannedJob p = ordered.get(i);
            JobSpec spec = JobSpec.simple("j" + i, "s" + p.stage(), p.stage())
                    .withWhen(p.when(), p.when() == WhenCondition.DELAYED ? Duration.ofMinutes(1) : null)
                    .withAllowFailure(p.allowFailure());
            if (p.dag()) {
                List<String> needs = new ArrayList<>();
                for (int k = 0; k < i && k < 8; k++) {
                    if ((p.needsMask() & (1 << k)) != 0 && ordered.get(k).stage() < p.stage()) {
                        needs.add("j" + k);
                    }
                }
                spec = spec.withNeeds(needs);
            }
            run.add(p.resourceGroup() ? spec.withResourceGroup("rg") : spec);
        }
        return run;
    }

    @Property(tries = 400)
    void processingKeepsThePipelinesInvariants(
            @ForAll @Size(min = 1, max = 9) List<@From("plannedJobs") PlannedJob> plan,
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 10_000) Integer> choices) {
        PipelineRun run = pipeline(plan);
        Set<String> names = run.latest().stream().map(Job::name).collect(Collectors.toSet());
        Set<JobId> enqueueImmediately = new java.util.HashSet<>();
        processAndCheck(run, names, enqueueImmediately);

        for (int choice : choices) {
            Map<JobId, Job> before = snapshot(run);
            act(run, choice, enqueueImmediately);
            assertRetriedJobsNeverChange(before, run);
            assertFinishedJobsStayFinished(before, run);
            processAndCheck(run, names, enqueueImmediately);
        }
    }

    /** One user or runner action, chosen by {@code choice}; nothing happens when no job fits. */
    private static void act(PipelineRun run, int choice, Set<JobId> enqueueImmediately) {
        int kind = choice % 8;
        int pick = choice / 8;
        switch (kind) {
            case 0 -> pick(run, j -> j.status() == JobStatus.PENDING, pick).ifPresent(j -> run.run(j.name()));
            case 1 -> pick(run, j -> j.status() == JobStatus.RUNNING, pick).ifPresent(j -> run.succeed(j.name()));
            case 2 -> pick(run, j -> j.status() == JobStatus.RUNNING || j.status() == JobStatus.PENDING, pick)
                    .ifPresent(j -> run.fail(j.name()));
            // a retried manual or delayed job is enqueued immediately (contract §3.6)
            case 3 -> pick(run, j -> j.retryable(false), pick).ifPresent(j -> {
                Job clone = run.retry(j.name(), pick % 2 == 0 ? JobFixtures.OTHER_USER : null);
                if (clone.spec().isAction()) {
                    enqueueImmediately.add(clone.id());
                }
            });
            case 4 -> pick(run, j -> j.status() == JobStatus.MANUAL, pick)
                    .ifPresent(j -> run.play(j.name(), JobFixtures.OTHER_USER));
            case 5 -> pick(run, j -> j.status() == JobStatus.SCHEDULED, pick).ifPresent(j -> {
                run.advance(Duration.ofMinutes(1));
                run.apply(j.name(), JobEvent.ENQUEUE_SCHEDULED, PipelineProcessor.enqueueContext(j));
            });
            case 6 -> pick(run, j -> j.status() == JobStatus.WAITING_FOR_RESOURCE, pick)
                    .ifPresent(j -> run.apply(j.name(), JobEvent.ENQUEUE_WAITING_FOR_RESOURCE,
                            TransitionContext.plain()));
            // Manual jobs are not canceled here: canceling an optional manual job turns "ignored" into "success with
            // warnings" behind the back of jobs already decided on it, which GitLab does not re-decide either.
            default -> pick(run, j -> j.status() == JobStatus.CANCELING || j.cancelable()
                            || j.status() == JobStatus.SCHEDULED, pick)
                    .ifPresent(j -> {
                        if (j.status() == JobStatus.CANCELING) {
                            run.put(j.succeed(run.tick()));
                        } else {
                            run.put(j.cancel(pick % 2 == 0, run.tick()));
                        }
                    });
        }
    }

    private static Optional<Job> pick(PipelineRun run, Predicate<Job> fits, int pick) {
        List<Job> candidates = run.latest().stream().filter(fits).toList();
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(pick % candidates.size()));
    }

    private static void processAndCheck(PipelineRun run, Set<String> names, Set<JobId> enqueueImmediately) {
        Map<JobId, Job> before = snapshot(run);
        PipelineProcessor.Outcome outcome = run.process(Set.copyOf(enqueueImmediately));
        List<Job> latest = run.latest();

        // exactly one latest job per name, and no name lost or invented
        Map<String, Long> perName = latest.stream().collect(Collectors.groupingBy(Job::name, Collectors.counting()));
        assertThat(perName.keySet()).isEqualTo(names);
        assertThat(perName.values()).allMatch(count -> count == 1);

        // every decision is GitLab's, taken only once what the job waits for is complete
        for (Job changed : outcome.changed()) {
            Job was = before.get(changed.id());
            assertThat(was.status()).as("processing decides created jobs only").isEqualTo(JobStatus.CREATED);
            JobStatus preceding = precedingStatus(changed, latest);
            assertThat(JobStatus.COMPLETED).as("%s decided while waiting for %s", changed.name(), preceding)
                    .contains(preceding);
            assertThat(changed.status()).as("decision for %s after %s", changed.name(), preceding)
                    .isEqualTo(decision(changed, preceding, enqueueImmediately.contains(changed.id())));
        }
        // nothing decidable is left behind: a fixpoint
        for (Job job : latest) {
            if (job.status() == JobStatus.CREATED) {
                assertThat(JobStatus.COMPLETED).as("%s left created", job.name())
                        .doesNotContain(precedingStatus(job, latest));
            }
        }
        // a skipped job stays consistent with what it waits for: retries and plays reopen what they must
        for (Job job : latest) {
            if (job.status() == JobStatus.SKIPPED) {
                JobStatus preceding = precedingStatus(job, latest);
                assertThat(JobStatus.COMPLETED).as("%s skipped while waiting for %s", job.name(), preceding)
                        .contains(preceding);
                assertThat(decision(job, preceding, false)).as("%s skipped after %s", job.name(), preceding)
                        .isEqualTo(JobStatus.SKIPPED);
            }
        }
        PipelineProcessor.Outcome again =
                PipelineProcessor.process(run.all(), Set.copyOf(enqueueImmediately), run.tick());
        assertThat(again.changed()).as("processing twice changes nothing").isEmpty();

        Optional<JobStatus> expected = bruteForceComposite(latest, false);
        assertThat(outcome.pipelineStatus()).isEqualTo(expected);
        assertThat(again.pipelineStatus()).isEqualTo(expected);
        assertThat(PipelineProcessor.status(run.all())).isEqualTo(expected);
    }

    private static Map<JobId, Job> snapshot(PipelineRun run) {
        Map<JobId, Job> jobs = new HashMap<>();
        run.all().forEach(j -> jobs.put(j.id(), j));
        return jobs;
    }

    private static void assertRetriedJobsNeverChange(Map<JobId, Job> before, PipelineRun run) {
        for (Job job : run.all()) {
            Job was = before.get(job.id());
            if (was != null && was.retried()) {
                assertThat(job).isEqualTo(was);
            }
        }
    }

    private static void assertFinishedJobsStayFinished(Map<JobId, Job> before, PipelineRun run) {
        for (Job job : run.all()) {
            Job was = before.get(job.id());
            if (was != null && JobStatus.FINISHED.contains(was.status())) {
                assertThat(job.status()).isEqualTo(was.status());
                assertThat(job.finishedAt()).isEqualTo(was.finishedAt());
            }
        }
    }

    // ------------------------------------------------------------------------- independent oracle, from GitLab

    /** What a job waits for: its needs (by name) when it declares needs, else every job of an earlier stage. */
    static JobStatus precedingStatus(Job job, Collection<Job> latest) {
        List<Job> waitedFor = job.spec().dag()
                ? latest.stream().filter(j -> job.spec().needs().contains(j.name())).toList()
                : latest.stream().filter(j -> j.spec().stageIdx() < job.spec().stageIdx()).toList();
        return bruteForceComposite(waitedFor, job.spec().dag()).orElse(JobStatus.SUCCESS);
    }

    /** ProcessBuildService: valid_statuses_for_build, then enqueue_immediately / schedule / actionize / enqueue. */
    static JobStatus decision(Job job, JobStatus preceding, boolean enqueueImmediately) {
        Set<JobStatus> valid = switch (job.spec().when()) {
            case ON_SUCCESS, MANUAL, DELAYED -> job.spec().dag()
                    ? EnumSet.of(JobStatus.SUCCESS) : EnumSet.of(JobStatus.SUCCESS, JobStatus.SKIPPED);
            case ON_FAILURE -> EnumSet.of(JobStatus.FAILED);
            case ALWAYS -> EnumSet.of(JobStatus.SUCCESS, JobStatus.FAILED, JobStatus.SKIPPED);
            case NEVER -> EnumSet.noneOf(JobStatus.class);
        };
        if (!valid.contains(preceding)) {
            return JobStatus.SKIPPED;
        }
        JobStatus enqueued = job.spec().resourceGroup() != null ? JobStatus.WAITING_FOR_RESOURCE : JobStatus.PENDING;
        if (enqueueImmediately) {
            return enqueued;
        }
        return switch (job.spec().when()) {
            case DELAYED -> JobStatus.SCHEDULED;
            case MANUAL -> JobStatus.MANUAL;
            default -> enqueued;
        };
    }

    /** Gitlab::Ci::Status::Composite#status, transcribed rule by rule over the set of status names. */
    static Optional<JobStatus> bruteForceComposite(Collection<Job> jobs, boolean dag) {
        if (jobs.isEmpty()) {
            return Optional.empty();
        }
        Set<String> set = new java.util.HashSet<>();
        for (Job job : jobs) {
            String status = job.status().wireName();
            if (job.allowFailure() && (status.equals("failed") || status.equals("canceled"))) {
                set.add("success_with_warnings");
            } else if (job.allowFailure() && status.equals("manual")) {
                set.add("ignored");
            } else {
                set.add(status);
            }
        }
        String result;
        if (dag && (set.contains("skipped") || set.contains("ignored"))) {
            result = "skipped";
        } else if (dag && !onlyOf(set, "success", "failed", "canceled", "skipped", "success_with_warnings")) {
            result = "pending";
        } else if (onlyOf(set, "skipped", "ignored")) {
            result = "skipped";
        } else if (onlyOf(set, "success", "skipped", "success_with_warnings", "ignored")) {
            result = "success";
        } else if (onlyOf(set, "created", "success_with_warnings", "ignored")) {
            result = "created";
        } else if (onlyOf(set, "preparing", "success_with_warnings", "ignored")) {
            result = "preparing";
        } else if (onlyOf(set, "canceled", "success", "skipped", "success_with_warnings", "ignored")) {
            result = "canceled";
        } else if (onlyOf(set, "pending", "created", "skipped", "success_with_warnings", "ignored")) {
            result = "pending";
        } else if (set.contains("running") || set.contains("pending")) {
            result = "running";
        } else if (set.contains("waiting_for_resource")) {
            result = "waiting_for_resource";
        } else if (set.contains("waiting_for_callback")) {
            result = "waiting_for_callback";
        } else if (set.contains("manual")) {
            result = "manual";
        } else if (set.contains("scheduled")) {
            result = "scheduled";
        } else if (set.contains("preparing")) {
            result = "preparing";
        } else if (set.contains("created")) {
            result = "running";
        } else if (set.contains("canceling")) {
            result = "canceling";
        } else {
            result = "failed";
        }
        return JobStatus.fromWireName(result);
    }

    private static boolean onlyOf(Set<String> set, String... names) {
        long matching = java.util.Arrays.stream(names).filter(set::contains).count();
        return matching > 0 && matching == set.size();
    }
}
