package io.jobyard.application.memory;

import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Jobs in memory, with optimistic updates; thread-safe, transactional with its {@link InMemoryTransactor}. The filters
 * on a job's pipeline (sha, source) and artifacts read the pipeline and artifact repositories it was given.
 */
public final class InMemoryJobRepository implements JobRepository {
    private final InMemoryTransactor transactor;
    private final AtomicLong ids = new AtomicLong();
    private final Rows<JobId, Job> jobs;
    private final PipelineRepository pipelines;
    private final ArtifactRepository artifacts;

    public InMemoryJobRepository() {
        this(new InMemoryTransactor());
    }

    /** Without pipelines and artifacts: a search by sha, source or artifacts is refused. */
    public InMemoryJobRepository(InMemoryTransactor transactor) {
        this(transactor, null, null);
    }

    public InMemoryJobRepository(InMemoryTransactor transactor, PipelineRepository pipelines,
                                 ArtifactRepository artifacts) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.jobs = new Rows<>(transactor, Comparator.naturalOrder());
        this.pipelines = pipelines;
        this.artifacts = artifacts;
    }

    @Override
    public JobId nextId() {
        return JobId.of(ids.incrementAndGet());
    }

    @Override
    public Job insert(Job job) {
        Objects.requireNonNull(job, "job");
        return transactor.locked(() -> {
            if (jobs.contains(job.id())) {
                throw new ConflictException("job " + job.id() + " already exists");
            }
            jobs.put(job.id(), job);
            return job;
        });
    }

    @Override
    public Job update(Job job) {
        Objects.requireNonNull(job, "job");
        return transactor.locked(() -> {
            Job stored = jobs.get(job.id()).orElse(null);
            if (stored == null || stored.lockVersion() != job.lockVersion()) {
                throw new StaleObjectException("job " + job.id());
            }
            Job updated = job.withLockVersion(job.lockVersion() + 1);
            jobs.put(updated.id(), updated);
            return updated;
        });
    }

    @Override
    public Optional<Job> findById(JobId id) {
        return transactor.locked(() -> jobs.get(id));
    }

    @Override
    public Map<JobId, Job> findByIds(Collection<JobId> ids) {
        return transactor.locked(() -> {
            Map<JobId, Job> found = new LinkedHashMap<>();
            for (JobId id : ids) {
                jobs.get(id).ifPresent(j -> found.put(id, j));
            }
            return found;
        });
    }

    @Override
    public List<Job> findByPipeline(PipelineId pipeline) {
        return transactor.locked(() -> jobs.all().stream().filter(j -> j.pipelineId().equals(pipeline)).toList());
    }

    @Override
    public List<Job> listForProject(ProjectId project, Set<JobStatus> statuses, long offset, int limit) {
        return transactor.locked(() -> Paging.page(
                newestFirst().filter(j -> j.projectId().equals(project)).filter(having(statuses)), offset, limit));
    }

    @Override
    public List<Job> listForProjectBefore(ProjectId project, Set<JobStatus> statuses, JobId beforeId, int limit) {
        return transactor.locked(() -> Paging.page(newestFirst()
                .filter(j -> j.projectId().equals(project))
                .filter(j -> beforeId == null || j.id().compareTo(beforeId) < 0)
                .filter(having(statuses)), 0, limit));
    }

    @Override
    public List<Job> listForPipeline(PipelineId pipeline, Set<JobStatus> statuses, boolean includeRetried,
                                     long offset, int limit) {
        return transactor.locked(() -> Paging.page(ofPipeline(pipeline, statuses, includeRetried), offset, limit));
    }

    @Override
    public long countForPipeline(PipelineId pipeline, Set<JobStatus> statuses, boolean includeRetried) {
        return transactor.locked(() -> ofPipeline(pipeline, statuses, includeRetried).count());
    }

    private Stream<Job> ofPipeline(PipelineId pipeline, Set<JobStatus> statuses, boolean includeRetried) {
        return newestFirst()
                .filter(j -> j.pipelineId().equals(pipeline))
                .filter(j -> includeRetried || !j.retried())
                .filter(having(statuses));
    }

    @Override
    public List<Job> search(ProjectId project, JobFilter filter, JobOrdering ordering, SortKey after, long offset,
                            int limit) {
        Comparator<Job> order = Comparator.<Job>comparingLong(j -> ordering.keyOf(j))
                .thenComparingLong(j -> j.id().value());
        Comparator<Job> directed = ordering.ascending() ? order : order.reversed();
        return transactor.locked(() -> Paging.page(matching(project, filter)
                .filter(j -> after == null || isAfter(j, ordering, after))
                .sorted(directed), offset, limit));
    }

    @Override
    public long count(ProjectId project, JobFilter filter) {
        return transactor.locked(() -> matching(project, filter).count());
    }

    private static boolean isAfter(Job job, JobOrdering ordering, SortKey after) {
        long key = ordering.keyOf(job);
        int compared = key != after.value() ? Long.compare(key, after.value())
                : Long.compare(job.id().value(), after.id());
        return ordering.ascending() ? compared > 0 : compared < 0;
    }

    private Stream<Job> matching(ProjectId project, JobFilter filter) {
        return jobs.all().stream()
                .filter(j -> j.projectId().equals(project))
                .filter(filter::matchesRecord)
                .filter(j -> filter.sha() == null || filter.sha().equals(pipelineOf(j).sha()))
                .filter(j -> filter.source() == null || filter.source() == pipelineOf(j).source())
                .filter(j -> filter.withArtifacts() == null
                        || filter.withArtifacts() == artifactsOf(j).stream()
                                .anyMatch(a -> a.fileType() != ArtifactFileType.TRACE))
                .filter(j -> filter.artifactType() == null
                        || artifactsOf(j).stream().anyMatch(a -> a.fileType() == filter.artifactType()));
    }

    private Pipeline pipelineOf(Job job) {
        if (pipelines == null) {
            throw new IllegalStateException("this job repository was built without pipelines");
        }
        return pipelines.findById(job.pipelineId()).orElseThrow();
    }

    private List<JobArtifact> artifactsOf(Job job) {
        if (artifacts == null) {
            throw new IllegalStateException("this job repository was built without artifacts");
        }
        return artifacts.findByJob(job.id());
    }

    @Override
    public Optional<Job> findLatestByName(PipelineId pipeline, String name) {
        return transactor.locked(() -> newestFirst()
                .filter(j -> j.pipelineId().equals(pipeline) && !j.retried() && j.name().equals(name))
                .findFirst());
    }

    @Override
    public Optional<Job> findByTokenDigest(String digest) {
        Objects.requireNonNull(digest, "digest");
        return transactor.locked(() -> jobs.all().stream().filter(j -> digest.equals(j.tokenDigest())).findFirst());
    }

    @Override
    public long countPending() {
        return transactor.locked(() -> jobs.all().stream().filter(j -> j.status() == JobStatus.PENDING).count());
    }

    @Override
    public List<Job> findPending(int limit) {
        return transactor.locked(() -> Paging.page(
                jobs.all().stream().filter(j -> j.status() == JobStatus.PENDING), 0, limit));
    }

    @Override
    public List<Job> findScheduledBefore(Instant now, int limit) {
        return transactor.locked(() -> Paging.page(jobs.all().stream()
                .filter(j -> j.status() == JobStatus.SCHEDULED && j.scheduledAt() != null
                        && !j.scheduledAt().isAfter(now))
                .sorted(Comparator.comparing(Job::scheduledAt).thenComparing(Job::id)), 0, limit));
    }

    @Override
    public List<Job> findRunningNotUpdatedSince(Instant before, int limit) {
        return transactor.locked(() -> Paging.page(jobs.all().stream()
                .filter(j -> j.status() == JobStatus.RUNNING && j.updatedAt().isBefore(before))
                .sorted(Comparator.comparing(Job::updatedAt).thenComparing(Job::id)), 0, limit));
    }

    private Stream<Job> newestFirst() {
        return jobs.descending().stream();
    }

    private static Predicate<Job> having(Set<JobStatus> statuses) {
        return j -> statuses == null || statuses.isEmpty() || statuses.contains(j.status());
    }
}
