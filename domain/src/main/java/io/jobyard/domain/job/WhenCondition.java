package io.jobyard.domain.job;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** A job's {@code when:}. It decides which composite status of the preceding jobs lets the job start. */
public enum WhenCondition {
    ON_SUCCESS(EnumSet.of(JobStatus.SUCCESS, JobStatus.SKIPPED)),
    ON_FAILURE(EnumSet.of(JobStatus.FAILED)),
    ALWAYS(EnumSet.of(JobStatus.SUCCESS, JobStatus.FAILED, JobStatus.SKIPPED)),
    MANUAL(EnumSet.of(JobStatus.SUCCESS, JobStatus.SKIPPED)),
    DELAYED(EnumSet.of(JobStatus.SUCCESS, JobStatus.SKIPPED)),
    /** Never started by processing (GitLab's {@code when: never} rules outcome). */
    NEVER(EnumSet.noneOf(JobStatus.class));

    private final Set<JobStatus> startsAfter;
    /** Worked out once: every job row read asks. */
    private final String wireName;

    WhenCondition(Set<JobStatus> startsAfter) {
        this.startsAfter = startsAfter;
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    /** GitLab's {@code valid_statuses_for_job}: the preceding composite statuses that let this job go ahead. */
    public boolean startsAfter(JobStatus precedingStatus) {
        return startsAfter.contains(precedingStatus);
    }

    /**
     * GitLab's {@code valid_statuses_for_build} including its DAG rule: a job that declares {@code needs} and is
     * on_success, manual or delayed starts only after "success" — a skipped (or ignored) need skips it.
     */
    public boolean startsAfter(JobStatus precedingStatus, boolean dag) {
        if (dag && (this == ON_SUCCESS || this == MANUAL || this == DELAYED)) {
            return precedingStatus == JobStatus.SUCCESS;
        }
        return startsAfter(precedingStatus);
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<WhenCondition> fromWireName(String value) {
        for (WhenCondition when : VALUES) {
            if (when.wireName.equals(value)) {
                return Optional.of(when);
            }
        }
        return Optional.empty();
    }

    private static final WhenCondition[] VALUES = values();
}
