package io.jobyard.domain.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** GitLab's {@code failure_reason} values (contract §2.4). An unknown runner-supplied reason is unknown_failure. */
public enum FailureReason {
    UNKNOWN_FAILURE,
    SCRIPT_FAILURE,
    API_FAILURE,
    STUCK_OR_TIMEOUT_FAILURE,
    RUNNER_SYSTEM_FAILURE,
    MISSING_DEPENDENCY_FAILURE,
    RUNNER_UNSUPPORTED,
    STALE_SCHEDULE,
    JOB_EXECUTION_TIMEOUT,
    ARCHIVED_FAILURE,
    UNMET_PREREQUISITES,
    SCHEDULER_FAILURE,
    DATA_INTEGRITY_FAILURE,
    FORWARD_DEPLOYMENT_FAILURE,
    USER_BLOCKED,
    PROJECT_DELETED,
    CI_QUOTA_EXCEEDED,
    PIPELINE_LOOP_DETECTED,
    NO_MATCHING_RUNNER,
    TRACE_SIZE_EXCEEDED,
    BUILDS_DISABLED,
    INSUFFICIENT_BRIDGE_PERMISSIONS,
    DOWNSTREAM_BRIDGE_PROJECT_NOT_FOUND,
    INVALID_BRIDGE_TRIGGER,
    BRIDGE_PIPELINE_IS_CHILD_PIPELINE,
    DOWNSTREAM_PIPELINE_CREATION_FAILED,
    SECRETS_PROVIDER_NOT_FOUND,
    REACHED_MAX_DESCENDANT_PIPELINES_DEPTH,
    ENVIRONMENT_CREATION_FAILURE,
    DEPLOYMENT_REJECTED,
    FAILED_OUTDATED_DEPLOYMENT_JOB,
    PROTECTED_ENVIRONMENT_FAILURE,
    JOB_TOKEN_EXPIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FailureReason> fromWireName(String value) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(value)).findFirst();
    }

    /** What a runner's reason becomes: itself when known, else unknown_failure. */
    public static FailureReason fromRunner(String value) {
        return fromWireName(value).orElse(UNKNOWN_FAILURE);
    }
}
