package io.jobyard.domain.hook;

/** The identifier of a project hook: a positive number, as GitLab exposes it. */
public record HookId(long value) {
    public HookId {
        if (value <= 0) {
            throw new IllegalArgumentException("hook id must be positive, was " + value);
        }
    }

    public static HookId of(long value) {
        return new HookId(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
