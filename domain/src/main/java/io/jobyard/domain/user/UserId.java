package io.jobyard.domain.user;

/** The identifier of a user: a positive number, as GitLab exposes it. */
public record UserId(long value) implements Comparable<UserId> {
    public UserId {
        if (value <= 0) {
            throw new IllegalArgumentException("user id must be positive, was " + value);
        }
    }

    public static UserId of(long value) {
        return new UserId(value);
    }

    @Override
    public int compareTo(UserId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
