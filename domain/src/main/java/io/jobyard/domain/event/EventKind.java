package io.jobyard.domain.event;

/** What a status event is about: a job (GitLab's "Job Hook", {@code object_kind: build}) or a pipeline. */
public enum EventKind {
    JOB("job"),
    PIPELINE("pipeline");

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static EventKind fromWireName(String name) {
        for (EventKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown event kind: " + name);
    }
}
