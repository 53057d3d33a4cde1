package io.jobyard.domain.pipeline;

import java.util.Locale;
import java.util.Optional;

/** What started a pipeline (GitLab's {@code source}). */
public enum PipelineSource {
    PUSH, WEB, TRIGGER, SCHEDULE, API, EXTERNAL, PIPELINE, CHAT, MERGE_REQUEST_EVENT, PARENT_PIPELINE;

    /** Worked out once: every pipeline row read and every job's JSON asks. */
    private static final PipelineSource[] VALUES = values();
    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static Optional<PipelineSource> fromWireName(String value) {
        for (PipelineSource source : VALUES) {
            if (source.wireName.equals(value)) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }
}
