package io.jobyard.domain.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What started a pipeline (GitLab's {@code source}). */
public enum PipelineSource {
    PUSH, WEB, TRIGGER, SCHEDULE, API, EXTERNAL, PIPELINE, CHAT, MERGE_REQUEST_EVENT, PARENT_PIPELINE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PipelineSource> fromWireName(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }
}
