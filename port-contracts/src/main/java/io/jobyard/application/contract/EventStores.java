package io.jobyard.application.contract;

import io.jobyard.application.port.out.ApplicationSettingsRepository;
import io.jobyard.application.port.out.EventLog;
import io.jobyard.application.port.out.HookRepository;

import java.util.Objects;

/** The event log, the hooks and the instance settings of one store, with the repositories they sit beside. */
public record EventStores(Repositories repos, EventLog events, HookRepository hooks,
                          ApplicationSettingsRepository settings) {
    public EventStores {
        Objects.requireNonNull(repos, "repos");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(hooks, "hooks");
        Objects.requireNonNull(settings, "settings");
    }
}
