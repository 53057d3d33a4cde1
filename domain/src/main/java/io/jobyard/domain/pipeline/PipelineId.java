package io.jobyard.domain.pipeline;

/** The identifier of a pipeline: a positive number, as GitLab exposes it. */
public record PipelineId(long value) implements Comparable<PipelineId> {
    public PipelineId {
        if (value <= 0) {
            throw new IllegalArgumentException("pipeline id must be positive, was " + value);
        }
    }

    public static PipelineId of(long value) {
        return new PipelineId(value);
    }

    @Override
    public int compareTo(PipelineId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
