package io.jobyard.application.memory;

import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Pipelines in memory, with optimistic updates; thread-safe, transactional with its {@link InMemoryTransactor}. */
public final class InMemoryPipelineRepository implements PipelineRepository {
    private final InMemoryTransactor transactor;
    private final AtomicLong ids = new AtomicLong();
    /** Per-project iid sequences; like database sequences they are not rolled back. Guarded by the lock. */
    private final Map<ProjectId, Long> lastIids = new HashMap<>();
    private final Rows<PipelineId, Pipeline> pipelines;

    public InMemoryPipelineRepository() {
        this(new InMemoryTransactor());
    }

    public InMemoryPipelineRepository(InMemoryTransactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.pipelines = new Rows<>(transactor, Comparator.naturalOrder());
    }

    @Override
    public PipelineId nextId() {
        return PipelineId.of(ids.incrementAndGet());
    }

    @Override
    public long nextIid(ProjectId project) {
        return transactor.locked(() -> {
            long highestStored = pipelines.all().stream().filter(p -> p.projectId().equals(project))
                    .mapToLong(Pipeline::iid).max().orElse(0);
            long next = Math.max(highestStored, lastIids.getOrDefault(project, 0L)) + 1;
            lastIids.put(project, next);
            return next;
        });
    }

    @Override
    public Pipeline insert(Pipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        return transactor.locked(() -> {
            if (pipelines.contains(pipeline.id())) {
                throw new ConflictException("pipeline " + pipeline.id() + " already exists");
            }
            boolean iidTaken = pipelines.all().stream()
                    .anyMatch(p -> p.projectId().equals(pipeline.projectId()) && p.iid() == pipeline.iid());
            if (iidTaken) {
                throw new ConflictException("pipeline iid " + pipeline.iid() + " already exists in the project");
            }
            pipelines.put(pipeline.id(), pipeline);
            return pipeline;
        });
    }

    @Override
    public Pipeline update(Pipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        return transactor.locked(() -> {
            Pipeline stored = pipelines.get(pipeline.id()).orElse(null);
            if (stored == null || stored.lockVersion() != pipeline.lockVersion()) {
                throw new StaleObjectException("pipeline " + pipeline.id());
            }
            Pipeline updated = pipeline.withLockVersion(pipeline.lockVersion() + 1);
            pipelines.put(updated.id(), updated);
            return updated;
        });
    }

    @Override
    public Optional<Pipeline> findById(PipelineId id) {
        return transactor.locked(() -> pipelines.get(id));
    }

    @Override
    public Map<PipelineId, Pipeline> findByIds(Collection<PipelineId> ids) {
        return transactor.locked(() -> {
            Map<PipelineId, Pipeline> found = new LinkedHashMap<>();
            for (PipelineId id : ids) {
                pipelines.get(id).ifPresent(p -> found.put(id, p));
            }
            return found;
        });
    }

    @Override
    public Optional<Pipeline> latestSuccessfulForRef(ProjectId project, String ref) {
        return transactor.locked(() -> newestFirst(project)
                .filter(p -> p.ref().equals(ref) && p.status() == JobStatus.SUCCESS)
                .findFirst());
    }

    @Override
    public List<Pipeline> list(ProjectId project, PipelineFilter filter, long offset, int limit) {
        return transactor.locked(() -> Paging.page(newestFirst(project).filter(matching(filter)), offset, limit));
    }

    @Override
    public long count(ProjectId project, PipelineFilter filter) {
        return transactor.locked(() -> newestFirst(project).filter(matching(filter)).count());
    }

    private Stream<Pipeline> newestFirst(ProjectId project) {
        return pipelines.descending().stream().filter(p -> p.projectId().equals(project));
    }

    private static Predicate<Pipeline> matching(PipelineFilter filter) {
        PipelineFilter f = filter == null ? PipelineFilter.ALL : filter;
        return p -> (f.statuses() == null || f.statuses().isEmpty() || f.statuses().contains(p.status()))
                && (f.ref() == null || f.ref().equals(p.ref()))
                && (f.sha() == null || f.sha().equals(p.sha()));
    }

    @Override
    public List<Pipeline> search(ProjectId project, PipelineQuery query, long offset, int limit) {
        return transactor.locked(() -> Paging.page(searched(project, query).sorted(order(query)), offset, limit));
    }

    @Override
    public long searchCount(ProjectId project, PipelineQuery query) {
        return transactor.locked(() -> searched(project, query).count());
    }

    @Override
    public List<Pipeline> searchAfter(ProjectId project, PipelineQuery query, SortKey after, int limit) {
        if (!PipelineRepository.keysetOrder(query.order())) {
            throw new IllegalArgumentException("no keyset pages in order " + query.order());
        }
        return transactor.locked(() -> Paging.page(searched(project, query)
                .filter(p -> after == null || isAfter(p, query, after))
                .sorted(order(query)), 0, limit));
    }

    private static boolean isAfter(Pipeline pipeline, PipelineQuery query, SortKey after) {
        long key = query.order() == PipelineRepository.Order.ID ? pipeline.id().value() : JobOrder.micros(pipeline.updatedAt());
        int compared = key != after.value() ? Long.compare(key, after.value())
                : Long.compare(pipeline.id().value(), after.id());
        return query.ascending() ? compared > 0 : compared < 0;
    }

    private Stream<Pipeline> searched(ProjectId project, PipelineQuery query) {
        Map<String, PipelineId> latestOfRef = new HashMap<>();
        if (query.latestPerRef()) {
            newestFirst(project).filter(p -> p.tag() == query.tag())
                    .forEach(p -> latestOfRef.putIfAbsent(p.ref(), p.id()));
        }
        return newestFirst(project).filter(p -> (query.statuses() == null || query.statuses().contains(p.status()))
                && (query.ref() == null || query.ref().equals(p.ref()))
                && (query.sha() == null || query.sha().equals(p.sha()))
                && (query.tag() == null || query.tag() == p.tag())
                && (!query.latestPerRef() || p.id().equals(latestOfRef.get(p.ref())))
                && (query.source() == null || query.source() == p.source())
                && (query.user() == null || query.user().equals(p.userId()))
                && (query.updatedAfter() == null || !p.updatedAt().isBefore(query.updatedAfter()))
                && (query.updatedBefore() == null || !p.updatedAt().isAfter(query.updatedBefore()))
                && (query.createdAfter() == null || !p.createdAt().isBefore(query.createdAfter()))
                && (query.createdBefore() == null || !p.createdAt().isAfter(query.createdBefore())));
    }

    /** The query's column in its direction, then the id in the same direction; a missing user is "largest". */
    private static Comparator<Pipeline> order(PipelineQuery query) {
        Comparator<Pipeline> column = switch (query.order()) {
            case ID -> Comparator.comparing(Pipeline::id);
            case STATUS -> Comparator.comparing((Pipeline p) -> p.status().wireName());
            case REF -> Comparator.comparing(Pipeline::ref);
            case UPDATED_AT -> Comparator.comparing(Pipeline::updatedAt);
            case USER_ID -> Comparator.comparing((Pipeline p) -> p.userId() == null ? null : p.userId().value(),
                    Comparator.nullsLast(Comparator.naturalOrder()));
        };
        Comparator<Pipeline> withTieBreak = column.thenComparing(Pipeline::id);
        return query.ascending() ? withTieBreak : withTieBreak.reversed();
    }
}
