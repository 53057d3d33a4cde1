package io.jobyard.application.memory;

import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerId;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Runners in memory; thread-safe, transactional with its {@link InMemoryTransactor}. */
public final class InMemoryRunnerRepository implements RunnerRepository {
    private final InMemoryTransactor transactor;
    private final AtomicLong ids = new AtomicLong();
    private final Rows<RunnerId, Runner> runners;

    public InMemoryRunnerRepository() {
        this(new InMemoryTransactor());
    }

    public InMemoryRunnerRepository(InMemoryTransactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.runners = new Rows<>(transactor, Comparator.naturalOrder());
    }

    @Override
    public RunnerId nextId() {
        return RunnerId.of(ids.incrementAndGet());
    }

    @Override
    public Runner insert(Runner runner) {
        Objects.requireNonNull(runner, "runner");
        return transactor.locked(() -> {
            if (runners.contains(runner.id())) {
                throw new ConflictException("runner " + runner.id() + " already exists");
            }
            requireFreeDigest(runner);
            runners.put(runner.id(), runner);
            return runner;
        });
    }

    @Override
    public Runner update(Runner runner) {
        Objects.requireNonNull(runner, "runner");
        return transactor.locked(() -> {
            if (!runners.contains(runner.id())) {
                throw NotFoundException.record("Runner");
            }
            requireFreeDigest(runner);
            runners.put(runner.id(), runner);
            return runner;
        });
    }

    private void requireFreeDigest(Runner runner) {
        if (runners.all().stream().anyMatch(r -> !r.id().equals(runner.id())
                && r.tokenDigest().equals(runner.tokenDigest()))) {
            throw new ConflictException("a runner with this token digest already exists");
        }
    }

    @Override
    public boolean delete(RunnerId id) {
        return transactor.locked(() -> runners.remove(id));
    }

    @Override
    public Optional<Runner> findById(RunnerId id) {
        return transactor.locked(() -> runners.get(id));
    }

    @Override
    public Map<RunnerId, Runner> findByIds(Collection<RunnerId> ids) {
        return transactor.locked(() -> {
            Map<RunnerId, Runner> found = new LinkedHashMap<>();
            for (RunnerId id : ids) {
                runners.get(id).ifPresent(r -> found.put(id, r));
            }
            return found;
        });
    }

    @Override
    public Optional<Runner> findByTokenDigest(String digest) {
        return transactor.locked(() -> runners.all().stream().filter(r -> r.tokenDigest().equals(digest)).findFirst());
    }
}
