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
 * decision in {@link JobArtifact#locked()}. {@link #unlockSuperseded} undoes it when a newer pipeline of the ref
 * succeeds; whoever completes pipelines calls it.
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
     * {@code succeeded} became the latest successful pipeline of its ref: the artifacts of the earlier successful
     * pipelines of that ref lose their lock. Walks back until a pipeline without locked artifacts, since locks are
     * only ever recorded for the latest one.
     *
     * @return how many artifacts were unlocked
     */
    public int unlockSuperseded(Pipeline succeeded) {
        if (succeeded.status() != JobStatus.SUCCESS) {
            return 0;
        }
        PipelineFilter sameRef = new PipelineFilter(Set.of(JobStatus.SUCCESS), succeeded.ref(), null);
        int unlocked = 0;
        long offset = 0;
        int page = 20;
        while (true) {
            List<Pipeline> batch = pipelines.list(succeeded.projectId(), sameRef, offset, page);
            for (Pipeline older : batch) {
                if (older.id().compareTo(succeeded.id()) >= 0) {
                    continue;
                }
                int count = unlockPipeline(older);
                if (count == 0) {
                    return unlocked;
                }
                unlocked += count;
            }
            if (batch.size() < page) {
                return unlocked;
            }
            offset += page;
        }
    }

    private int unlockPipeline(Pipeline pipeline) {
        int count = 0;
        List<Job> pipelineJobs = jobs.findByPipeline(pipeline.id());
        for (List<JobArtifact> ofJob : artifacts.findByJobs(pipelineJobs.stream().map(Job::id).toList()).values()) {
            for (JobArtifact artifact : ofJob) {
                if (artifact.locked()) {
                    artifacts.update(withLock(artifact, false));
                    count++;
                }
            }
        }
        return count;
    }

    static JobArtifact withLock(JobArtifact a, boolean locked) {
        return new JobArtifact(a.id(), a.jobId(), a.projectId(), a.fileType(), a.fileFormat(), a.filename(),
                a.size(), a.sha256(), a.expireAt(), locked, a.accessibility(), a.storageKey(), a.createdAt());
    }
}
