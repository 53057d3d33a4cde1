package io.jobyard.application.port.out;

import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Artifact records (metadata); the bytes live in the {@link ArtifactStore}. */
public interface ArtifactRepository {

    ArtifactId nextId();

    /** @throws io.jobyard.domain.error.ConflictException when the job already has an artifact of that type */
    JobArtifact insert(JobArtifact artifact);

    JobArtifact update(JobArtifact artifact);

    /** @return whether it existed */
    boolean delete(ArtifactId id);

    Optional<JobArtifact> findById(ArtifactId id);

    /** A job's artifacts ordered by id. */
    List<JobArtifact> findByJob(JobId job);

    Optional<JobArtifact> findByJobAndType(JobId job, ArtifactFileType type);

    /** One query for the artifacts of a page of jobs; jobs without artifacts are absent from the map. */
    Map<JobId, List<JobArtifact>> findByJobs(Collection<JobId> jobs);

    /** Unlocked artifacts whose expiry has passed, oldest expiry first, for the sweeper. */
    List<JobArtifact> findExpired(Instant now, int limit);

    /**
     * Locked artifacts whose expiry has passed, with id above {@code afterId} (null from the start), ascending: the
     * sweeper walks them to release the locks a newer successful pipeline has superseded.
     */
    List<JobArtifact> findExpiredLocked(Instant now, ArtifactId afterId, int limit);

    /** A project's artifacts with id above {@code afterId} (null from the start), ascending: batched deletes. */
    List<JobArtifact> findByProject(ProjectId project, ArtifactId afterId, int limit);

    /**
     * Those of {@code storageKeys} that some artifact record names: how the orphan sweep tells a blob in use from
     * litter, one batch of listed keys at a time (callers keep a batch to a few hundred keys).
     */
    Set<String> findReferencedStorageKeys(Collection<String> storageKeys);
}
