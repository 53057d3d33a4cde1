package io.jobyard.application.memory;

import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** Artifact records in memory; thread-safe, transactional with its {@link InMemoryTransactor}. */
public final class InMemoryArtifactRepository implements ArtifactRepository {
    private final InMemoryTransactor transactor;
    private final AtomicLong ids = new AtomicLong();
    private final Rows<ArtifactId, JobArtifact> artifacts;

    public InMemoryArtifactRepository() {
        this(new InMemoryTransactor());
    }

    public InMemoryArtifactRepository(InMemoryTransactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.artifacts = new Rows<>(transactor, Comparator.naturalOrder());
    }

    @Override
    public ArtifactId nextId() {
        return ArtifactId.of(ids.incrementAndGet());
    }

    @Override
    public JobArtifact insert(JobArtifact artifact) {
        Objects.requireNonNull(artifact, "artifact");
        return transactor.locked(() -> {
            if (artifacts.contains(artifact.id())) {
                throw new ConflictException("artifact " + artifact.id() + " already exists");
            }
            requireFreeType(artifact);
            artifacts.put(artifact.id(), artifact);
            return artifact;
        });
    }

    @Override
    public JobArtifact update(JobArtifact artifact) {
        Objects.requireNonNull(artifact, "artifact");
        return transactor.locked(() -> {
            if (!artifacts.contains(artifact.id())) {
                throw NotFoundException.record("Artifact");
            }
            requireFreeType(artifact);
            artifacts.put(artifact.id(), artifact);
            return artifact;
        });
    }

    private void requireFreeType(JobArtifact artifact) {
        boolean taken = artifacts.all().stream().anyMatch(a -> !a.id().equals(artifact.id())
                && a.jobId().equals(artifact.jobId()) && a.fileType() == artifact.fileType());
        if (taken) {
            throw new ConflictException("another artifact of the same type already exists");
        }
    }

    @Override
    public boolean delete(ArtifactId id) {
        return transactor.locked(() -> artifacts.remove(id));
    }

    @Override
    public Optional<JobArtifact> findById(ArtifactId id) {
        return transactor.locked(() -> artifacts.get(id));
    }

    @Override
    public List<JobArtifact> findByJob(JobId job) {
        return transactor.locked(() -> artifacts.all().stream().filter(a -> a.jobId().equals(job)).toList());
    }

    @Override
    public Optional<JobArtifact> findByJobAndType(JobId job, ArtifactFileType type) {
        return transactor.locked(() -> artifacts.all().stream()
                .filter(a -> a.jobId().equals(job) && a.fileType() == type)
                .findFirst());
    }

    @Override
    public Map<JobId, List<JobArtifact>> findByJobs(Collection<JobId> jobs) {
        Set<JobId> wanted = new HashSet<>(jobs);
        return transactor.locked(() -> {
            Map<JobId, List<JobArtifact>> found = new LinkedHashMap<>();
            for (JobArtifact artifact : artifacts.all()) {
                if (wanted.contains(artifact.jobId())) {
                    found.computeIfAbsent(artifact.jobId(), j -> new ArrayList<>()).add(artifact);
                }
            }
            found.replaceAll((job, list) -> List.copyOf(list));
            return found;
        });
    }

    @Override
    public List<JobArtifact> findExpired(Instant now, int limit) {
        return transactor.locked(() -> Paging.page(artifacts.all().stream()
                .filter(a -> !a.locked() && a.expired(now))
                .sorted(Comparator.comparing(JobArtifact::expireAt).thenComparing(JobArtifact::id)), 0, limit));
    }

    @Override
    public List<JobArtifact> findExpiredLocked(Instant now, ArtifactId afterId, int limit) {
        return transactor.locked(() -> Paging.page(artifacts.all().stream()
                .filter(a -> a.locked() && a.expired(now))
                .filter(a -> afterId == null || a.id().compareTo(afterId) > 0)
                .sorted(Comparator.comparing(JobArtifact::id)), 0, limit));
    }

    @Override
    public List<JobArtifact> findByProject(ProjectId project, ArtifactId afterId, int limit) {
        return transactor.locked(() -> Paging.page(artifacts.all().stream()
                .filter(a -> a.projectId().equals(project))
                .filter(a -> afterId == null || a.id().compareTo(afterId) > 0), 0, limit));
    }

    @Override
    public Set<String> findReferencedStorageKeys(Collection<String> storageKeys) {
        Set<String> wanted = new HashSet<>(storageKeys);
        return transactor.locked(() -> artifacts.all().stream()
                .map(JobArtifact::storageKey)
                .filter(wanted::contains)
                .collect(Collectors.toUnmodifiableSet()));
    }
}
