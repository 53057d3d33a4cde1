package io.jobyard.application.port.out;

import io.jobyard.domain.error.StaleObjectException;
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
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Jobs. Updates are optimistic on {@link Job#lockVersion()}. An empty status set means "any status". */
public interface JobRepository {

    JobId nextId();

    Job insert(Job job);

    /**
     * Inserts several jobs at once, as pipeline creation makes them. All or none: a database adapter sends them as one
     * batch in one transaction; this default inserts them one by one (inside the caller's transaction, if any).
     *
     * @return the jobs as stored, in the given order
     * @throws io.jobyard.domain.error.ConflictException when an id is taken
     */
    default List<Job> insertAll(List<Job> jobs) {
        return jobs.stream().map(this::insert).toList();
    }

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

    /**
     * A project's jobs that pass {@code filter}, in {@code ordering} (ties broken by id in the same direction): the
     * rows after {@code after} when it is given (keyset pages), then {@code offset} more skipped, then at most
     * {@code limit}. A database adapter answers each filter and order from an index.
     */
    List<Job> search(ProjectId project, JobFilter filter, JobOrdering ordering, SortKey after, long offset,
                     int limit);

    /** How many of a project's jobs pass {@code filter}. */
    long count(ProjectId project, JobFilter filter);

    /** The latest (not retried) job named {@code name} in a pipeline. */
    Optional<Job> findLatestByName(PipelineId pipeline, String name);

    /** The job whose CI token has this SHA-256 digest (hex). */
    Optional<Job> findByTokenDigest(String digest);

    /**
     * Pending jobs, oldest first, that a runner might take: the runner checks tags and project itself. Used with
     * {@link #update} as a conditional claim, so two runners never both win one job.
     */
    List<Job> findPending(int limit);

    /**
     * How many jobs wait for a runner: the queue depth operators watch. This default reads them all; a database
     * adapter counts them with its status index.
     */
    default long countPending() {
        return findPending(Integer.MAX_VALUE).size();
    }

    /**
     * Hands one pending job to a runner: the oldest pending job that {@code runnerCanTake} accepts, stored as
     * {@code toRunning} makes it (typically {@code job -> job.run(runner, tokenDigest, now)}). A job is claimed by
     * exactly one caller, also across instances sharing one database. This default scans {@link #findPending} and
     * claims with the optimistic {@link #update}, moving on to the next candidate when another caller won; a database
     * adapter may override it with row locks that let concurrent runners skip each other's candidates.
     *
     * @return the claimed job as stored, or empty when no pending job fits
     */
    default Optional<Job> claimPending(Predicate<Job> runnerCanTake, UnaryOperator<Job> toRunning) {
        for (Job candidate : findPending(200)) {
            if (!runnerCanTake.test(candidate)) {
                continue;
            }
            try {
                return Optional.of(update(toRunning.apply(candidate)));
            } catch (StaleObjectException claimedByAnother) {
                // Someone else took or changed it since findPending: try the next one.
            }
        }
        return Optional.empty();
    }

    /** Scheduled jobs whose time has come, for the delayed-job scheduler. */
    List<Job> findScheduledBefore(Instant now, int limit);

    /** Running jobs not updated since {@code before}, for the stuck-job sweeper. */
    List<Job> findRunningNotUpdatedSince(Instant before, int limit);
}
