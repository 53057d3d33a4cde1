package io.jobyard.bootstrap;

import io.jobyard.application.port.in.event.HookPayload;
import io.jobyard.domain.event.EventKind;
import io.jobyard.domain.event.StatusEvent;

import java.util.Objects;

/**
 * A committed job or pipeline status change, as an embedding host hears it: the event (project, per-project number,
 * kind, ids, status, previous status), the data GitLab's job or pipeline hook is made of, and that hook's JSON, byte
 * for byte what webhooks send.
 */
public record JobyardEvent(StatusEvent event, HookPayload payload, String json) {
    public JobyardEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(json, "json");
    }

    public boolean isJob() {
        return event.kind() == EventKind.JOB;
    }
}
