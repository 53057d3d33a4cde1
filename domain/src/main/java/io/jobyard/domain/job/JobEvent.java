package io.jobyard.domain.job;

/** GitLab's state machine events for CommitStatus / Processable / Build, combined (contract §2.2). */
public enum JobEvent {
    PROCESS,
    ENQUEUE,
    ENQUEUE_SCHEDULED,
    ENQUEUE_WAITING_FOR_RESOURCE,
    ENQUEUE_PREPARING,
    ACTIONIZE,
    SCHEDULE,
    UNSCHEDULE,
    RUN,
    SKIP,
    DROP,
    /** GitLab's {@code success} event. */
    SUCCEED,
    CANCEL,
    FORCE_CANCEL
}
