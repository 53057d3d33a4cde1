package io.jobyard.domain.pipeline;

import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobEvent;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.TransitionContext;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * GitLab's atomic pipeline processing: decides, for every {@code created} job, whether the jobs it waits for (the
 * previous stages, or its {@code needs}) let it be enqueued, made manual, scheduled, or skipped — and derives the
 * pipeline's status from its latest jobs. Pure: it returns the jobs it changed and the status; callers persist them.
 */
public final class PipelineProcessor {

    /** What one processing pass decided. {@code changed} holds the new versions, in the order they changed. */
    public record Outcome(List<Job> changed, Optional<JobStatus> pipelineStatus) {
        public Outcome {
            changed = List.copyOf(changed);
        }
    }

    private static final Comparator<Job> BY_STAGE_THEN_ID =
            Comparator.comparingInt((Job j) -> j.spec().stageIdx()).thenComparing(Job::id);

    private PipelineProcessor() {
    }

    /**
     * Processes every created latest job until nothing more changes.
     *
     * @param jobs all jobs of one pipeline, retried ones included (they are ignored)
     */
    public static Outcome process(Collection<Job> jobs, Instant now) {
        return process(jobs, Set.of(), now);
    }

    /**
     * Like {@link #process(Collection, Instant)}, but the jobs named in {@code enqueueImmediately} are enqueued rather
     * than made manual or scheduled once what they wait for lets them go ahead: a retried (or replayed) manual job is
     * enqueued immediately, not put back to manual (contract §3.6; GitLab's {@code enqueue_immediately?}).
     */
    public static Outcome process(Collection<Job> jobs, Set<JobId> enqueueImmediately, Instant now) {
        Objects.requireNonNull(enqueueImmediately, "enqueueImmediately");
        Map<JobId, Job> latest = latestById(jobs);
        Map<JobId, Job> changed = new LinkedHashMap<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            List<Job> ordered = new ArrayList<>(latest.values());
            ordered.sort(BY_STAGE_THEN_ID);
            for (Job job : ordered) {
                Job current = latest.get(job.id());
                if (current.status() != JobStatus.CREATED) {
                    continue;
                }
                JobStatus preceding = precedingStatus(current, latest.values());
                if (!JobStatus.COMPLETED.contains(preceding)) {
                    continue;
                }
                Job next = decide(current, preceding, enqueueImmediately.contains(current.id()), now);
                if (!next.equals(current)) {
                    latest.put(next.id(), next);
                    changed.put(next.id(), next);
                    progress = true;
                }
            }
        }
        return new Outcome(new ArrayList<>(changed.values()), status(latest.values()));
    }

    /** The pipeline status GitLab derives: the composite of its latest jobs; empty for a pipeline without jobs. */
    public static Optional<JobStatus> status(Collection<Job> jobs) {
        return CompositeStatus.of(latestById(jobs).values().stream()
                .map(j -> new CompositeStatus.Entry(j.status(), j.allowFailure()))
                .toList(), false);
    }

    /**
     * After {@code retried} was retried, the skipped jobs that ran after it (every job of a later stage, and every job
     * needing it directly or transitively) are brought back to {@code created} so processing can decide them again
     * (GitLab's ResetSkippedJobsService).
     */
    public static List<Job> reopenAfterRetry(Collection<Job> jobs, Job retried, UserId user, Instant now) {
        Map<JobId, Job> latest = latestById(jobs);
        Set<String> dependents = dependentsByNeeds(latest.values(), retried.name());
        List<Job> reopened = new ArrayList<>();
        List<Job> ordered = new ArrayList<>(latest.values());
        ordered.sort(BY_STAGE_THEN_ID);
        for (Job job : ordered) {
            if (job.status() != JobStatus.SKIPPED || job.id().equals(retried.id())) {
                continue;
            }
            // GitLab resets the union of both: a DAG job of a later stage may wait on the retried job through a
            // stage-based job it needs, so it must be decided again too.
            boolean after = dependents.contains(job.name()) || job.spec().stageIdx() > retried.spec().stageIdx();
            if (after) {
                Job processed = job.apply(JobEvent.PROCESS, TransitionContext.plain(), now);
                reopened.add(user == null ? processed : processed.toBuilder().userId(user).build());
            }
        }
        return reopened;
    }

    /** The composite status of what {@code job} waits for; success when it waits for nothing. */
    static JobStatus precedingStatus(Job job, Collection<Job> latest) {
        List<CompositeStatus.Entry> entries;
        if (job.spec().dag()) {
            Set<String> needs = Set.copyOf(job.spec().needs());
            entries = latest.stream().filter(j -> needs.contains(j.name()))
                    .map(j -> new CompositeStatus.Entry(j.status(), j.allowFailure())).toList();
        } else {
            entries = latest.stream().filter(j -> j.spec().stageIdx() < job.spec().stageIdx())
                    .map(j -> new CompositeStatus.Entry(j.status(), j.allowFailure())).toList();
        }
        return CompositeStatus.of(entries, job.spec().dag()).orElse(JobStatus.SUCCESS);
    }

    /** GitLab's ProcessBuildService for one job whose predecessors are complete. */
    private static Job decide(Job job, JobStatus preceding, boolean enqueueImmediately, Instant now) {
        WhenCondition when = job.spec().when();
        if (!when.startsAfter(preceding, job.spec().dag())) {
            return job.apply(JobEvent.SKIP, TransitionContext.plain(), now);
        }
        if (enqueueImmediately) {
            return job.apply(JobEvent.ENQUEUE, enqueueContext(job), now);
        }
        return switch (when) {
            case DELAYED -> job.apply(JobEvent.SCHEDULE, TransitionContext.plain(), now);
            case MANUAL -> job.apply(JobEvent.ACTIONIZE, TransitionContext.plain(), now);
            default -> job.apply(JobEvent.ENQUEUE, enqueueContext(job), now);
        };
    }

    /** The context in which processing enqueues {@code job}: resource groups decide waiting_for_resource. */
    public static TransitionContext enqueueContext(Job job) {
        return TransitionContext.plain().withResourceGroup(job.spec().resourceGroup() != null);
    }

    private static Set<String> dependentsByNeeds(Collection<Job> latest, String name) {
        Set<String> found = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(name);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (Job job : latest) {
                if (job.spec().dag() && job.spec().needs().contains(current) && found.add(job.name())) {
                    queue.add(job.name());
                }
            }
        }
        return found;
    }

    private static Map<JobId, Job> latestById(Collection<Job> jobs) {
        Map<JobId, Job> latest = new LinkedHashMap<>();
        for (Job job : jobs) {
            Objects.requireNonNull(job, "job");
            if (!job.retried()) {
                latest.put(job.id(), job);
            }
        }
        return latest;
    }
}
