package io.jobyard.application.service.job;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.service.ActorChecks;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.application.service.pipeline.PipelineProgress;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.artifact.JobArtifacts;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobEvent;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.PipelineProcessor;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.UserId;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Cancel, retry, erase, play and keep, with GitLab's order of checks: credentials → project (404) → project
 * ability (403) → job (404 "Not found") → job ability (403) → job state. Every write runs under
 * {@link OptimisticRetry} and re-checks the state on its fresh read, so a job that changed meanwhile is judged as
 * it is now.
 */
public final class JobActionsService implements JobActionsUseCase {
    static final String NOT_RETRYABLE = "Job is not retryable";
    static final String NOT_ERASABLE = "Job is not erasable!";
    static final String UNPLAYABLE = "Unplayable Job";

    private final ProjectGate gate;
    private final JobRepository jobs;
    private final ArtifactRepository artifacts;
    private final ArchiveIndexRepository archiveIndex;
    private final RunnerRepository runners;
    private final ArtifactStore artifactStore;
    private final TraceStore traces;
    private final PipelineProgress progress;
    private final JobViewAssembler views;
    private final OptimisticRetry optimisticRetry;
    private final ArchivePolicy archivePolicy;
    private final Clock clock;

    public JobActionsService(ProjectGate gate, JobRepository jobs, ArtifactRepository artifacts,
                             ArchiveIndexRepository archiveIndex, RunnerRepository runners,
                             ArtifactStore artifactStore, TraceStore traces,
                             PipelineProgress progress, JobViewAssembler views, OptimisticRetry optimisticRetry,
                             ArchivePolicy archivePolicy, Clock clock) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.archiveIndex = Objects.requireNonNull(archiveIndex, "archiveIndex");
        this.runners = Objects.requireNonNull(runners, "runners");
        this.artifactStore = Objects.requireNonNull(artifactStore, "artifactStore");
        this.traces = Objects.requireNonNull(traces, "traces");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.views = Objects.requireNonNull(views, "views");
        this.optimisticRetry = Objects.requireNonNull(optimisticRetry, "optimisticRetry");
        this.archivePolicy = Objects.requireNonNull(archivePolicy, "archivePolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ------------------------------------------------------------------------------------------------------ cancel

    @Override
    public JobView cancel(Actor actor, ProjectRef project, JobId job, boolean force) {
        ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, project);
        requireUpdateBuilds(access);
        Job found = gate.jobOf(access, job);
        if (force && !access.isMaintainer()) {
            throw new ForbiddenException();
        }
        Job result = optimisticRetry.run(() -> {
            Job fresh = reload(found.id());
            Instant now = clock.instant();
            Job canceled = force ? forceCancel(fresh, now) : fresh.cancel(gracefulCancel(fresh), now);
            if (canceled.equals(fresh)) {
                return fresh;
            }
            return progress.advanceAfter(jobs.update(canceled));
        });
        return views.view(access.project(), result);
    }

    /**
     * Force finishes a graceful cancel (canceling → canceled). On a job not yet canceling it cancels without waiting
     * for the runner's after_script, so force never does less than a plain cancel.
     */
    private static Job forceCancel(Job job, Instant now) {
        return job.status() == JobStatus.CANCELING ? job.forceCancel(now) : job.cancel(false, now);
    }

    /** A running job goes to canceling (not canceled) when its runner runs after_script on cancel. */
    private boolean gracefulCancel(Job job) {
        return job.runnerId() != null && runners.findById(job.runnerId()).map(Runner::gracefulCancel).orElse(false);
    }

    // ------------------------------------------------------------------------------------------------------- retry

    @Override
    public JobView retry(Actor actor, ProjectRef project, JobId job) {
        UserId user = ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, project);
        requireUpdateBuilds(access);
        Job found = gate.jobOf(access, job);
        requireActionAllowed(access, found);
        requireRetryable(found);
        Job clone = optimisticRetry.run(() -> {
            Job fresh = reload(found.id());
            requireRetryable(fresh);
            return progress.retry(fresh, user, null);
        });
        return views.view(access.project(), clone);
    }

    private void requireRetryable(Job job) {
        if (!job.retryable(archived(job))) {
            throw new ForbiddenException(NOT_RETRYABLE);
        }
    }

    // ------------------------------------------------------------------------------------------------------- erase

    @Override
    public JobView erase(Actor actor, ProjectRef project, JobId job) {
        UserId user = ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, project);
        requireUpdateBuilds(access);
        Job found = gate.jobOf(access, job);
        if (!access.canErase(found)) {
            throw new ForbiddenException();
        }
        requireErasable(found, artifacts.findByJob(found.id()));
        Erased erased = optimisticRetry.run(() -> {
            Job fresh = reload(found.id());
            List<JobArtifact> all = artifacts.findByJob(fresh.id());
            requireErasable(fresh, all);
            for (JobArtifact artifact : all) {
                // Index rows first: a database may keep them under a foreign key to the archive's record.
                if (artifact.fileType() == ArtifactFileType.ARCHIVE) {
                    archiveIndex.deleteEntries(artifact.id());
                }
                artifacts.delete(artifact.id());
            }
            return new Erased(jobs.update(fresh.erase(user, clock.instant())), all);
        });
        // Bytes go only once the records are gone for good: a rolled-back erase must not leave records without files.
        for (JobArtifact artifact : erased.artifacts()) {
            artifactStore.delete(artifact.storageKey());
        }
        traces.delete(erased.job().id());
        return views.view(access.project(), erased.job());
    }

    private record Erased(Job job, List<JobArtifact> artifacts) {
    }

    /** GitLab's {@code erasable?}: complete, with artifacts of any type or a log to erase. */
    private void requireErasable(Job job, List<JobArtifact> jobArtifacts) {
        boolean somethingToErase = !jobArtifacts.isEmpty() || traces.length(job.id()) > 0;
        if (!job.erasable(somethingToErase)) {
            throw new ForbiddenException(NOT_ERASABLE);
        }
    }

    // -------------------------------------------------------------------------------------------------------- play

    @Override
    public JobView play(Actor actor, ProjectRef project, JobId job, List<JobVariable> variables) {
        UserId user = ActorChecks.requireWriter(actor);
        ProjectGate.ProjectJob opened = gate.openJob(actor, project, job);
        ProjectAccess access = opened.access();
        Job found = opened.job();
        requireActionAllowed(access, found);
        requirePlayable(found);
        Job result = optimisticRetry.run(() -> {
            Job fresh = reload(found.id());
            requirePlayable(fresh);
            Instant now = clock.instant();
            if (fresh.status() == JobStatus.MANUAL || fresh.status() == JobStatus.SCHEDULED) {
                Job played = fresh.playedBy(user, variables, now)
                        .apply(JobEvent.ENQUEUE, PipelineProcessor.enqueueContext(fresh), now);
                Job stored = jobs.update(played);
                progress.afterPlay(stored, user);
                return reload(stored.id());
            }
            // A finished manual job played again is retried; GitLab still answers with the job that was played.
            progress.retry(fresh, user, variables);
            return reload(fresh.id());
        });
        return views.view(access.project(), result);
    }

    private void requirePlayable(Job job) {
        if (!job.playable(archived(job))) {
            throw new BadRequestException(UNPLAYABLE);
        }
    }

    // -------------------------------------------------------------------------------------------------------- keep

    @Override
    public JobView keepArtifacts(Actor actor, ProjectRef project, JobId job) {
        ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, project);
        requireUpdateBuilds(access);
        Job found = gate.jobOf(access, job);
        requireActionAllowed(access, found);
        requireArtifacts(found, artifacts.findByJob(found.id()));
        Job kept = optimisticRetry.run(() -> {
            Job fresh = reload(found.id());
            List<JobArtifact> all = artifacts.findByJob(fresh.id());
            requireArtifacts(fresh, all);
            for (JobArtifact artifact : all) {
                if (artifact.expireAt() != null) {
                    artifacts.update(artifact.withoutExpiry());
                }
            }
            return jobs.update(fresh.keepArtifacts(clock.instant()));
        });
        return views.view(access.project(), kept);
    }

    /** GitLab's {@code artifacts?}: an archive that has not expired; keeping anything else is a 404. */
    private void requireArtifacts(Job job, List<JobArtifact> jobArtifacts) {
        if (!new JobArtifacts(job, jobArtifacts, false).present(clock.instant())) {
            throw NotFoundException.resource("Job");
        }
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    private static void requireUpdateBuilds(ProjectAccess access) {
        if (!access.canUpdateBuilds()) {
            throw new ForbiddenException();
        }
    }

    /** {@code retry_job} / {@code play_job} / {@code keep_job_artifacts}: update_build on a job not archived. */
    private void requireActionAllowed(ProjectAccess access, Job job) {
        if (!access.canActOnJob(archived(job))) {
            throw new ForbiddenException();
        }
    }

    private boolean archived(Job job) {
        return archivePolicy.isArchived(job, clock.instant());
    }

    private Job reload(JobId id) {
        return jobs.findById(id).orElseThrow(() -> NotFoundException.record("Job"));
    }
}
