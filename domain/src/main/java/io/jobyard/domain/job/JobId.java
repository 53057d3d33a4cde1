package io.jobyard.domain.job;

/** The identifier of a job: a positive number, as GitLab exposes it. */
public record JobId(long value) implements Comparable<JobId> {
    public JobId {
        if (value <= 0) {
            throw new IllegalArgumentException("job id must be positive, was " + value);
        }
    }

    public static JobId of(long value) {
        return new JobId(value);
    }

    @Override
    public int compareTo(JobId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
