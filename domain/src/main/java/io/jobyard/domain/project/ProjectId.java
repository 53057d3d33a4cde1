package io.jobyard.domain.project;

/** The identifier of a project: a positive number, as GitLab exposes it. */
public record ProjectId(long value) implements Comparable<ProjectId> {
    public ProjectId {
        if (value <= 0) {
            throw new IllegalArgumentException("project id must be positive, was " + value);
        }
    }

    public static ProjectId of(long value) {
        return new ProjectId(value);
    }

    @Override
    public int compareTo(ProjectId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
