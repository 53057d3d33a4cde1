package io.jobyard.application.memory;

import io.jobyard.application.port.out.CiConfigRepository;
import io.jobyard.domain.project.ProjectId;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Stored CI configurations in memory; thread-safe. */
public final class InMemoryCiConfigRepository implements CiConfigRepository {
    private final ConcurrentMap<ProjectId, StoredCiConfig> configs = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredCiConfig> find(ProjectId project) {
        return Optional.ofNullable(configs.get(project));
    }

    @Override
    public void put(StoredCiConfig config) {
        Objects.requireNonNull(config, "config");
        configs.put(config.projectId(), config);
    }
}
