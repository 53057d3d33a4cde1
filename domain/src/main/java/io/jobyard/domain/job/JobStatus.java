package io.jobyard.domain.job;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * GitLab's job statuses (CommitStatus / Ci::HasStatus). The wire value is the lowercase name; the declaration order
 * follows GitLab's enum integers so a database may store {@link #code()}.
 */
public enum JobStatus {
    CREATED(0),
    PENDING(1),
    RUNNING(2),
    SUCCESS(3),
    FAILED(4),
    CANCELED(5),
    SKIPPED(6),
    MANUAL(7),
    SCHEDULED(8),
    PREPARING(9),
    WAITING_FOR_RESOURCE(10),
    WAITING_FOR_CALLBACK(11),
    CANCELING(12);

    /** Statuses in which a job is queued or executing. */
    public static final Set<JobStatus> ACTIVE =
            EnumSet.of(WAITING_FOR_RESOURCE, PREPARING, WAITING_FOR_CALLBACK, PENDING, RUNNING);
    /** Statuses that end a job's run ({@code complete?}). */
    public static final Set<JobStatus> COMPLETED = EnumSet.of(SUCCESS, FAILED, CANCELED, SKIPPED);
    /** Statuses that wait for a person or a time. */
    public static final Set<JobStatus> BLOCKED = EnumSet.of(MANUAL, SCHEDULED);
    public static final Set<JobStatus> STOPPED = union(COMPLETED, BLOCKED);
    /** Statuses in which the job's CI token authenticates. */
    public static final Set<JobStatus> EXECUTING = EnumSet.of(RUNNING, CANCELING);
    public static final Set<JobStatus> STARTED = EnumSet.of(RUNNING, SUCCESS, FAILED);
    public static final Set<JobStatus> ALIVE =
            EnumSet.of(CREATED, WAITING_FOR_RESOURCE, PREPARING, WAITING_FOR_CALLBACK, PENDING, RUNNING, CANCELING);
    /** ALIVE + scheduled − canceling: what the cancel event may leave from (besides manual). */
    public static final Set<JobStatus> CANCELABLE =
            EnumSet.of(CREATED, WAITING_FOR_RESOURCE, PREPARING, WAITING_FOR_CALLBACK, PENDING, RUNNING, SCHEDULED);
    /** The finder's {@code finished} scope. */
    public static final Set<JobStatus> FINISHED = EnumSet.of(SUCCESS, FAILED, CANCELED);

    /** By code and by wire name, worked out once: every job row read and every status written asks (hot paths). */
    private static final JobStatus[] BY_CODE = new JobStatus[values().length];
    private static final Map<String, JobStatus> BY_WIRE_NAME = new HashMap<>();

    static {
        for (JobStatus status : values()) {
            BY_CODE[status.code] = status;
            BY_WIRE_NAME.put(status.wireName, status);
        }
    }

    private final int code;
    private final String wireName;

    JobStatus(int code) {
        this.code = code;
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    public int code() {
        return code;
    }

    /** The wire value: {@code "waiting_for_resource"}. */
    public String wireName() {
        return wireName;
    }

    public static Optional<JobStatus> fromWireName(String value) {
        return value == null ? Optional.empty() : Optional.ofNullable(BY_WIRE_NAME.get(value));
    }

    public static JobStatus fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IllegalArgumentException("unknown job status code " + code);
        }
        return BY_CODE[code];
    }

    public boolean isComplete() {
        return COMPLETED.contains(this);
    }

    public boolean isActive() {
        return ACTIVE.contains(this);
    }

    public boolean isAlive() {
        return ALIVE.contains(this);
    }

    public boolean isExecuting() {
        return EXECUTING.contains(this);
    }

    /**
     * The one transition table: where {@code event} leads from this status, or empty when the event does not apply.
     * Every conditional target (graceful cancel, resource groups, time of a delayed job) is decided by {@code context}.
     */
    public Optional<JobStatus> next(JobEvent event, TransitionContext context) {
        JobStatus target = switch (event) {
            case PROCESS -> in(SKIPPED, MANUAL) ? CREATED : null;
            case ENQUEUE -> in(CREATED, SKIPPED, MANUAL, SCHEDULED) ? queueTarget(context) : null;
            case ENQUEUE_SCHEDULED -> this == SCHEDULED && context.scheduledTimeReached() ? queueTarget(context) : null;
            case ENQUEUE_WAITING_FOR_RESOURCE -> this == WAITING_FOR_RESOURCE
                    ? (context.unmetPrerequisites() ? PREPARING : PENDING) : null;
            case ENQUEUE_PREPARING -> this == PREPARING && !context.unmetPrerequisites() ? PENDING : null;
            case ACTIONIZE -> this == CREATED ? MANUAL : null;
            case SCHEDULE -> this == CREATED ? SCHEDULED : null;
            case UNSCHEDULE -> this == SCHEDULED ? MANUAL : null;
            case RUN -> this == PENDING ? RUNNING : null;
            case SKIP -> in(CREATED, WAITING_FOR_RESOURCE, PREPARING, PENDING) ? SKIPPED : null;
            case DROP -> this == CANCELING ? CANCELED
                    : in(CREATED, WAITING_FOR_RESOURCE, PREPARING, WAITING_FOR_CALLBACK, PENDING, RUNNING, MANUAL, SCHEDULED)
                    ? FAILED : null;
            case SUCCEED -> this == CANCELING ? CANCELED
                    : in(CREATED, WAITING_FOR_RESOURCE, PREPARING, WAITING_FOR_CALLBACK, PENDING, RUNNING) ? SUCCESS : null;
            case CANCEL -> this == RUNNING && context.gracefulCancelSupported() ? CANCELING
                    : CANCELABLE.contains(this) || this == MANUAL ? CANCELED : null;
            case FORCE_CANCEL -> this == CANCELING && context.forceCancelSupported() ? CANCELED : null;
        };
        return Optional.ofNullable(target);
    }

    private JobStatus queueTarget(TransitionContext context) {
        if (context.hasResourceGroup()) {
            return WAITING_FOR_RESOURCE;
        }
        return context.unmetPrerequisites() ? PREPARING : PENDING;
    }

    private boolean in(JobStatus... statuses) {
        for (JobStatus status : statuses) {
            if (status == this) {
                return true;
            }
        }
        return false;
    }

    private static Set<JobStatus> union(Set<JobStatus> a, Set<JobStatus> b) {
        EnumSet<JobStatus> all = EnumSet.copyOf(a);
        all.addAll(b);
        return java.util.Collections.unmodifiableSet(all);
    }
}
