package io.jobyard.domain.artifact;

/** The identifier of a job artifact: a positive number, as GitLab exposes it. */
public record ArtifactId(long value) implements Comparable<ArtifactId> {
    public ArtifactId {
        if (value <= 0) {
            throw new IllegalArgumentException("job artifact id must be positive, was " + value);
        }
    }

    public static ArtifactId of(long value) {
        return new ArtifactId(value);
    }

    @Override
    public int compareTo(ArtifactId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
