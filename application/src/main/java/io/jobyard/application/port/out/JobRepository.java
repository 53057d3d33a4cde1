package io.jobyard.application.port.out;

import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Jobs. Updates are optimistic on {@link Job#lockVersion()}. An empty status set means "any status". */
public interface JobRepository {

    JobId nextId();

    Job insert(Job job);

    /**
     * Stores {@code job} if nobody changed it since it was read.
     *
     * @return the stored job with its new lock version
     * @throws io.jobyard.domain.error.StaleObjectException when the lock version no longer matches
     */
    Job update(Job job);

    Optional<Job> findById(JobId id);

    Map<JobId, Job> findByIds(Collection<JobId> ids);

    /** All jobs of a pipeline, retried ones included, ordered by id. */
    List<Job> findByPipeline(PipelineId pipeline);

    /** A project's jobs, newest (highest id) first, skipping {@code offset}. Retried jobs included. */
    List<Job> listForProject(ProjectId project, Set<JobStatus> statuses, long offset, int limit);

    /** A project's jobs with id below {@code beforeId} (null for the first page), newest first: keyset paging. */
    List<Job> listForProjectBefore(ProjectId project, Set<JobStatus> statuses, JobId beforeId, int limit);

    /** A pipeline's jobs newest first; retried ones only when {@code includeRetried}. */
    List<Job> listForPipeline(PipelineId pipeline, Set<JobStatus> statuses, boolean includeRetried, long offset,
                              int limit);

    long countForPipeline(PipelineId pipeline, Set<JobStatus> statuses, boolean includeRetried);

    /** The latest (not retried) job named {@code name} in a pipeline. */
    Optional<Job> findLatestByName(PipelineId pipeline, String name);

    /** The job whose CI token has this SHA-256 digest (hex). */
    Optional<Job> findByTokenDigest(String digest);

    /**
     * Pending jobs, oldest first, that a runner might take: the runner checks tags and project itself. Used with
     * {@link #update} as a conditional claim, so two runners never both win one job.
     */
    List<Job> findPending(int limit);

    /** Scheduled jobs whose time has come, for the delayed-job scheduler. */
    List<Job> findScheduledBefore(Instant now, int limit);

    /** Running jobs not updated since {@code before}, for the stuck-job sweeper. */
    List<Job> findRunningNotUpdatedSince(Instant before, int limit);
}
