package io.jobyard.domain.runner;

/** The identifier of a runner: a positive number, as GitLab exposes it. */
public record RunnerId(long value) implements Comparable<RunnerId> {
    public RunnerId {
        if (value <= 0) {
            throw new IllegalArgumentException("runner id must be positive, was " + value);
        }
    }

    public static RunnerId of(long value) {
        return new RunnerId(value);
    }

    @Override
    public int compareTo(RunnerId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
