package io.jobyard.application.service.artifact;

import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.PipelineRepository.PipelineFilter;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.artifact.JobArtifacts;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * GitLab's "keep artifacts from the most recent successful jobs" (on by default): the artifacts of the latest
 * successful pipeline of each ref are locked — they survive expiry and stay downloadable.
 *
 * <p>Jobyard decides the lock from the pipelines themselves (is the job's pipeline the latest successful one of its
 * ref?) and, because the sweeper must not meet the same locked artifacts in every batch, the sweeper records that
 * decision in {@link JobArtifact#locked()}. The sweeper releases a recorded lock once a newer pipeline of the ref has
 * succeeded ({@link #superseded}), so pipeline completion needs no hook and a missed release is made up later.
 */
public final class ArtifactLocks {
    private final ArtifactRepository artifacts;
    private final JobRepository jobs;
    private final PipelineRepository pipelines;

    public ArtifactLocks(ArtifactRepository artifacts, JobRepository jobs, PipelineRepository pipelines) {
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
    }

    /** A job's artifacts with the lock that decides {@code available_artifacts?}. */
    public JobArtifacts load(Job job) {
        List<JobArtifact> all = artifacts.findByJob(job.id());
        boolean locked = all.stream().anyMatch(JobArtifact::locked) || inLatestSuccessfulPipeline(job);
        return new JobArtifacts(job, all, locked);
    }

    /** Whether the job's pipeline is the newest successful pipeline of its ref. */
    public boolean inLatestSuccessfulPipeline(Job job) {
        return pipelines.latestSuccessfulForRef(job.projectId(), job.ref())
                .map(latest -> latest.id().equals(job.pipelineId()))
                .orElse(false);
    }

    /**
     * Whether a newer pipeline of the job's ref has succeeded: GitLab then unlocks the artifacts of every earlier
     * pipeline of that ref (its UnlockPreviousPipelinesWorker), failed ones included.
     */
    public boolean superseded(Job job) {
        return pipelines.latestSuccessfulForRef(job.projectId(), job.ref())
                .map(latest -> latest.id().compareTo(job.pipelineId()) > 0)
                .orElse(false);
    }

    static JobArtifact withLock(JobArtifact a, boolean locked) {
        return new JobArtifact(a.id(), a.jobId(), a.projectId(), a.fileType(), a.fileFormat(), a.filename(),
                a.size(), a.sha256(), a.expireAt(), locked, a.accessibility(), a.storageKey(), a.createdAt());
    }
}
