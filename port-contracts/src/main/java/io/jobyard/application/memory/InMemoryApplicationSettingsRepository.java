package io.jobyard.application.memory;

import io.jobyard.application.port.out.ApplicationSettingsRepository;

import java.util.Objects;

/** The instance settings in memory. */
public final class InMemoryApplicationSettingsRepository implements ApplicationSettingsRepository {
    private volatile ApplicationSettings settings = ApplicationSettings.DEFAULTS;

    @Override
    public ApplicationSettings get() {
        return settings;
    }

    @Override
    public void put(ApplicationSettings value) {
        settings = Objects.requireNonNull(value, "settings");
    }
}
