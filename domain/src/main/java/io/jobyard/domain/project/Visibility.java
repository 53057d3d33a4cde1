package io.jobyard.domain.project;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** GitLab's visibility levels (the API's {@code visibility}; integer levels 0, 10, 20). */
public enum Visibility {
    PRIVATE(0), INTERNAL(10), PUBLIC(20);

    private final int level;

    Visibility(int level) {
        this.level = level;
    }

    public int level() {
        return level;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Visibility> fromWireName(String value) {
        return Arrays.stream(values()).filter(v -> v.wireName().equals(value)).findFirst();
    }
}
