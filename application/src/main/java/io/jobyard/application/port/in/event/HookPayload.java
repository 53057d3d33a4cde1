package io.jobyard.application.port.in.event;

import io.jobyard.domain.event.StatusEvent;

import java.time.Instant;

/**
 * What GitLab's job or pipeline hook payload is made of for one event: the event and the records the payload shows,
 * as read when the payload is built (as GitLab's hook workers read the job when they run), except the status, which is
 * the event's. The HTTP adapter writes it as GitLab's JSON; in-process listeners get the same data.
 */
public sealed interface HookPayload permits JobHookPayload, PipelineHookPayload {

    StatusEvent event();

    /** The time live durations are measured to. */
    Instant builtAt();

    /** GitLab's {@code X-Gitlab-Event} value: {@code Job Hook} or {@code Pipeline Hook}. */
    String eventHeader();

    /** GitLab's hook trigger name in its logs: {@code job_hooks} or {@code pipeline_hooks}. */
    String trigger();
}
